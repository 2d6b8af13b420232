import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedMesh } from '../resolve/resolve.js';

/**
 * api-syncagent PublishedResource options: each for a kind the API's CRDs define, once; and no projection that leaves
 * two versions of one name, which the agent refuses (kcp-dev/api-syncagent v0.7.0 projection.go projectCRDVersions).
 */
export function publishOptions(mesh: ResolvedMesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of mesh.exports) {
    const a = e.syncAgent;
    if (!a) continue;
    const kinds = a.sources.map((r) => r.kind);
    const given = new Set<string>();
    for (const o of a.publish) {
      const kind = o.kind ?? (kinds.length === 1 ? kinds[0]! : undefined);
      const problem = kind === undefined ? `publish options without a kind, but the API serves ${kinds.join(', ')}`
        : !kinds.includes(kind) ? `publish options for kind ${kind}, which the API's CRDs do not define`
        : given.has(kind) ? `publish options for kind ${kind} given twice` : undefined;
      if (problem) out.push(diagnostic('invalidInput', e.origin, problem, `kind: one of ${kinds.join(', ') || '(no CRD)'}, once each`));
      if (kind) given.add(kind);
    }
    for (const r of e.resources) {
      const names = (r.crd['spec'] as { versions: Array<{ name: string }> }).versions.map((v) => v.name);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice) out.push(diagnostic('invalidInput', e.origin, `the projection of ${r.kind} leaves version ${twice} twice; api-syncagent would refuse to publish it`, 'map each version to a name of its own'));
    }
  }
  return out;
}
