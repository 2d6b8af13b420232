import type { KubeObject, MeshModel } from '../model/mesh.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { describeObject } from '../model/collections.js';
import type { Manifest } from './manifest.js';

/**
 * Mesh.addMetadata: the user's labels and annotations on the objects generated under a construct. Applied once every
 * object exists (GitOps apps included), before layout. A key the object already has with another value is p2c's
 * own (its labels, protection and ordering annotations): refused, since overriding it would change what GitOps does.
 */
export function applyMetadata(manifests: readonly Manifest[], mesh: Pick<MeshModel, 'metadataRules'>): { manifests: Manifest[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (mesh.metadataRules.length === 0) return { manifests: [...manifests], diagnostics };
  const refused = new Set<string>();
  const out = manifests.map((m) => {
    const rules = mesh.metadataRules.filter((r) => (r.path === '' || m.origin.path === r.path || m.origin.path.startsWith(`${r.path}/`)) && (!r.kinds || r.kinds.includes(m.object.kind)));
    if (rules.length === 0) return m;
    const metadata = { ...m.object.metadata };
    for (const r of rules) {
      for (const [field, extra] of [['labels', r.labels], ['annotations', r.annotations]] as const) {
        const current: Record<string, string> = { ...(metadata[field] ?? {}) };
        for (const [k, v] of Object.entries(extra)) {
          if (current[k] !== undefined && current[k] !== v) {
            const key = `${r.origin.path}\u0000${field}\u0000${k}`;
            if (!refused.has(key)) {
              refused.add(key);
              diagnostics.push(diagnostic('invalidInput', r.origin, `addMetadata would change ${field.slice(0, -1)} '${k}' that p2c sets on ${describeObject(m.object.kind, m.object.metadata.name, m.object.metadata.namespace)} ('${current[k]}')`, `choose another key, or narrow the rule with kinds: [...]`));
            }
            continue;
          }
          current[k] = v;
        }
        if (Object.keys(current).length) (metadata as Record<string, unknown>)[field] = current;
      }
    }
    return { ...m, object: { ...m.object, metadata } as KubeObject };
  });
  return { manifests: out, diagnostics };
}
