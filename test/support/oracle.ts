import { importCrdDirectory } from '../../src/crd-import/import.js';
import { SchemaCatalog } from '../../src/validate/schema-catalog.js';
import { haveUpstream, upstreamCrds } from './paths.js';

let catalog: SchemaCatalog | undefined;

/**
 * Schemas built straight from ../shared/crds at test time, not from the project's schemas/. Without the upstream
 * folder (a clone with nothing beside it), the project's derived schemas/ stand in; upstream-crds.test.ts proves
 * them identical to the upstream import wherever the folder exists.
 */
export function upstreamCatalog(): SchemaCatalog {
  return (catalog ??= haveUpstream ? new SchemaCatalog(importCrdDirectory(upstreamCrds)) : SchemaCatalog.fromDirectory());
}
