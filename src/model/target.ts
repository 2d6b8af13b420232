import type { MeshModel, Target } from './mesh.js';

export function parentPath(path: string): string | undefined {
  const i = path.lastIndexOf(':');
  return i < 0 ? undefined : path.slice(0, i);
}

/** The stable output layout: `kcp/<workspace path segments>/`, `clusters/<name>/`, `gitops/<engine>/`. */
export function folderOf(target: Target): string {
  switch (target.type) {
    case 'workspace': return `kcp/${target.path.split(':').join('/')}${stageFolder(target.stage)}`;
    case 'cluster': return `clusters/${target.name}${stageFolder(target.stage)}`;
    case 'gitops': return `gitops/${target.engine}`;
  }
}

/** Argo CD's name for the cluster it runs in. */
export const inClusterServer = 'https://kubernetes.default.svc';

/** `_` cannot start a workspace or cluster name, so a stage folder never meets a child workspace's. */
export const stagePrefix = '_stage-';

function stageFolder(stage: number | undefined): string {
  return stage ? `/${stagePrefix}${stage}` : '';
}

/** The same target without its stage. */
export function baseTarget(target: Target): Target {
  if (target.type === 'gitops' || !target.stage) return target;
  const { stage: _stage, ...base } = target;
  return base;
}

/** Every folder the mesh applies: declared workspaces, their parents up to root, clusters, and their stages. */
export function applyTargets(model: Pick<MeshModel, 'workspaces' | 'clusters'> & { readonly workspaceTypes?: MeshModel['workspaceTypes']; readonly createParents?: boolean; readonly staged?: readonly Target[] }): Target[] {
  const seen = new Set<string>();
  const out: Target[] = [];
  const add = (t: Target) => {
    const f = folderOf(t);
    if (!seen.has(f)) {
      seen.add(f);
      out.push(t);
    }
  };
  // Each declared workspace, and the parent its Workspace object is applied in (none for an external one); every
  // ancestor when p2c creates them.
  for (const w of model.workspaces) {
    if (model.createParents ?? true) for (let p: string | undefined = w.path; p; p = parentPath(p)) add({ type: 'workspace', path: p });
    else for (const p of [w.path, w.external ? undefined : parentPath(w.path)]) if (p) add({ type: 'workspace', path: p });
  }
  // A WorkspaceType's workspace, which may be none the mesh declares (root, root:orgs).
  for (const t of model.workspaceTypes ?? []) add({ type: 'workspace', path: t.path });
  for (const c of model.clusters) add({ type: 'cluster', name: c.name });
  for (const t of model.staged ?? []) add(t);
  return out.sort((a, b) => (folderOf(a) < folderOf(b) ? -1 : 1));
}

/** A folder as a reviewer reads it: `workspace root:team:webshop`, `cluster database`, `gitops argocd`. */
export function folderTitle(folder: string): string {
  if (folder.startsWith('kcp/')) return `workspace ${folder.slice(4).split('/').join(':')}`;
  if (folder.startsWith('clusters/')) return `cluster ${folder.slice(9)}`;
  if (folder.startsWith('gitops/')) return `gitops ${folder.slice(7)}`;
  return folder;
}

/** A folder without its stage: `clusters/a/_stage-2` → `clusters/a`. The target objects of both are applied to. */
export function baseFolderOf(folder: string): string {
  const i = folder.lastIndexOf(`/${stagePrefix}`);
  return i < 0 ? folder : folder.slice(0, i);
}

/** One object wherever it is written from: the folder it is applied from (stages are one target) and its identity. */
export function objectIdentity(folder: string, o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  const slash = o.apiVersion.indexOf('/');
  return `${baseFolderOf(folder)}\u0000${slash < 0 ? '' : o.apiVersion.slice(0, slash)}/${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
}
