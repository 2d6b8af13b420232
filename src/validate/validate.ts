import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';
import { SchemaCatalog } from './schema-catalog.js';
import { validateCoreObject } from './core-kinds.js';

function describe(m: Manifest): string {
  const o = m.object;
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/**
 * Every object against the schema of its kind before anything is written: custom kinds
 * against schemas imported from the upstream CRDs (structure, defaults, CEL rules),
 * built-in kinds against the Kubernetes OpenAPI. Secrets carrying data are refused.
 */
export function validateManifests(manifests: readonly Manifest[], catalog: SchemaCatalog): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of manifests) {
    const o = m.object;
    if (o.apiVersion === 'v1' && o.kind === 'Secret' && ('data' in o || 'stringData' in o)) {
      out.push(diagnostic('secretData', m.origin, `${describe(m)} carries data; p2c output goes to Git and must never hold credentials`, 'create the Secret out of band (or with a secrets operator) and reference it by name'));
      continue;
    }
    if (!o.metadata?.name) {
      out.push(diagnostic('invalidObject', m.origin, `${o.kind} has no metadata.name`));
      continue;
    }
    const problems = catalog.validate(o) ?? validateCoreObject(o) ?? [];
    for (const p of problems) out.push(diagnostic('invalidObject', m.origin, `${describe(m)} (${o.apiVersion}) ${p}`));
  }
  return out;
}
