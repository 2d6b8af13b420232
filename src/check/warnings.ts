import { warning, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedMesh } from '../resolve/resolve.js';

/** `resource` for the core group, `resource.group` otherwise: how consumers name claims. */
const claimKey = (group: string, resource: string) => (group ? `${resource}.${group}` : resource);

/**
 * A consumer may reject any claim; some rejections quietly disable what the API is for. api-syncagent syncs a
 * related object into the consumer's workspace only through the claim on its resource; an operator serving its own
 * API reaches the consumer's objects only through its claims.
 */
export function rejectedDependencies(mesh: ResolvedMesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const b of mesh.bindings) {
    const e = b.target;
    if (!e || b.reject.length === 0) continue;
    const rejected = new Set(b.reject);
    for (const rel of e.syncAgent?.related ?? []) {
      const key = claimKey(rel.group, rel.resource);
      if (rejected.has(key)) {
        out.push(warning('rejectedDependency', b.origin, `binding '${b.name}' rejects the ${key} claim, so api-syncagent cannot sync the related ${key} '${rel.identifier}' of ${e.name} into ${b.workspacePath}: instances there will never get it`, `accept '${key}' if the workspace needs the ${rel.identifier}`));
      }
    }
    if (e.operator) {
      for (const key of b.reject) out.push(warning('rejectedDependency', b.origin, `binding '${b.name}' rejects the ${key} claim of operator ${e.operator}'s API ${e.name}: the operator cannot reach ${key} in ${b.workspacePath}, so what it does with them will not happen there`, `accept '${key}', or confirm the operator works without it`));
    }
  }
  return out;
}
