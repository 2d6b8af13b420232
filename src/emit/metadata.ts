import type { KubeObject, MeshModel } from '../model/mesh.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { groupBy, describeObject } from '../model/collections.js';
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
  // Rules by construct path: each object looks up its own path and its ancestors', not every rule (linear synth).
  const byPath = groupBy(mesh.metadataRules, (r) => r.path);
  const order = new Map(mesh.metadataRules.map((r, i) => [r, i] as const));
  const rulesFor = (path: string) => {
    const parts = path.split('/');
    const paths = ['', ...parts.map((_, i) => parts.slice(0, i + 1).join('/'))];
    // In declaration order, as the mesh gave them.
    return [...new Set(paths)].flatMap((p) => byPath.get(p) ?? []).sort((a, b) => order.get(a)! - order.get(b)!);
  };
  const out = manifests.map((m) => {
    const rules = rulesFor(m.origin.path).filter((r) => !r.kinds || r.kinds.includes(m.object.kind));
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
