import { importCrdDirectory } from '../../src/crd-import/import.js';
import { SchemaCatalog } from '../../src/validate/schema-catalog.js';
import { upstreamCrds } from './paths.js';

let catalog: SchemaCatalog | undefined;

/** Schemas built straight from ../shared/crds at test time, not from the project's schemas/. */
export function upstreamCatalog(): SchemaCatalog {
  return (catalog ??= new SchemaCatalog(importCrdDirectory(upstreamCrds)));
}
