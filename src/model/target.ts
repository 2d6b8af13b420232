import type { MeshModel, Target } from './mesh.js';

export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf(':');
  return i < 0 ? undefined : path.slice(0, i);
}

/** The stable output layout: `kcp/<workspace path segments>/`, `clusters/<name>/`, `gitops/<engine>/`. */
export function folderOf(target: Target): string {
  switch (target.type) {
    case 'workspace': return `kcp/${target.path.split(':').join('/')}`;
    case 'cluster': return `clusters/${target.name}`;
    case 'gitops': return `gitops/${target.engine}`;
  }
}

/** Every folder the mesh applies: declared workspaces, their parents up to root, and clusters. */
export function applyTargets(model: Pick<MeshModel, 'workspaces' | 'clusters'>): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  const add = (t: Target) => {
    const f = folderOf(t);
    if (!seen.has(f)) {
      seen.add(f);
      out.push(t);
    }
  };
  for (const w of model.workspaces) for (let p: string | undefined = w.path; p; p = parentPath(p)) add({ type: 'workspace', path: p });
  for (const c of model.clusters) add({ type: 'cluster', name: c.name });
  return out.sort((a, b) => (folderOf(a) < folderOf(b) ? -1 : 1));
}
