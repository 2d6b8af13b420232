import { kcpWorkspaceGroups } from '../resolve/builtin-apis.js';
import type { ClusterModel, KubeObject, Target } from '../model/mesh.js';
import { applyTargets, folderOf, stagePrefix } from '../model/target.js';
import { groupBy, groupOf } from '../model/collections.js';
import { dnsSubdomainProblem } from '../check/names.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { isCoreKind } from '../validate/core-kinds.js';
import type { Manifest } from './manifest.js';
import { emitArgoCd } from './argocd.js';
import { emitFlux } from './flux.js';

/** What the GitOps emitters know about one output folder. */
export interface AppUnit {
  readonly folder: string;
  readonly target: Target;
  /** `kcp.root.team.database`, `clusters.database`: unique, since path segments hold no dots. */
  readonly name: string;
  /** Path of the folder in the Git repository. */
  readonly repoPath: string;
  readonly wave: number;
  readonly dependsOn: readonly string[];
  /** The compute cluster the folder is applied to, for its server and kubeconfig Secret. */
  readonly cluster?: ClusterModel;
  /** Holds objects whose API is defined outside the folder (Argo must skip the dry run). */
  readonly apisFromElsewhere: boolean;
  /** `apiVersion/kind` of every object in the folder. */
  readonly kinds: ReadonlySet<string>;
  /** Kinds in the folder without a namespace (`group/kind`): what the folder's AppProject must allow cluster-wide. */
  readonly clusterScoped: ReadonlySet<string>;
  /** The team owning the folder; none for the platform's own (parent workspaces). */
  readonly owner?: string;
}

export function appName(folder: string): string {
  return folder.split('/').map((s) => (s.startsWith(stagePrefix) ? s.slice(1) : s)).join('.');
}


function apisFromElsewhere(objects: readonly KubeObject[], inWorkspace: boolean): boolean {
  const defined = new Set<string>();
  for (const o of objects) {
    const spec = o['spec'] as { group?: string; names?: { kind?: string } } | undefined;
    if (o.kind === 'CustomResourceDefinition' && spec?.group && spec.names?.kind) defined.add(`${spec.group}/${spec.names.kind}`);
  }
  return objects.some((o) => {
    const group = groupOf(o.apiVersion);
    if (isCoreKind(o.apiVersion, o.kind) || o.kind === 'CustomResourceDefinition') return false;
    // kcp serves these in every workspace; everything else custom arrives with a CRD or binding.
    if (inWorkspace && kcpWorkspaceGroups.has(group)) return false;
    return !defined.has(`${group}/${o.kind}`);
  });
}

/**
 * Whether the engines know where to read from and apply to. Apps (and their bootstrap) that would read no repository,
 * or reach workspaces through no front-proxy, are not written: the gitops-target check says why, once, instead of
 * every object failing its schema on an empty URL.
 */
export function deliverable(mesh: ResolvedMesh): boolean {
  return mesh.gitops.repoURL !== undefined && !(mesh.frontProxyUrl === undefined && mesh.workspaces.length > 0);
}

/**
 * One app per output folder for each engine, ordered by the mesh's apply order: Argo CD
 * sync waves on the Applications, Flux dependsOn between Kustomizations.
 */
export function emitGitOps(mesh: ResolvedMesh, manifests: readonly Manifest[]): Manifest[] {
  if (mesh.gitops.engines.length === 0 || !deliverable(mesh)) return [];
  const byFolder = groupBy(manifests, (m) => folderOf(m.target));
  const targets = new Map(applyTargets(mesh).map((t) => [folderOf(t), t] as const));
  const clusters = new Map(mesh.clusters.map((c) => [c.name, c] as const));
  const workspaces = new Map(mesh.workspaces.map((w) => [w.path, w] as const));
  const order = mesh.applyOrder;
  // A folder with an invalid name is already reported by the name check; an app for it would only repeat that.
  const valid = (folder: string) => dnsSubdomainProblem(appName(folder)) === undefined;
  const units: AppUnit[] = order.folders.filter(valid).map((folder) => {
    const target = targets.get(folder)!;
    const cluster = target.type === 'cluster' ? clusters.get(target.name) : undefined;
    const objects = (byFolder.get(folder) ?? []).map((m) => m.object);
    const owner = target.type === 'cluster' ? cluster?.owner : target.type === 'workspace' ? workspaces.get(target.path)?.owner : undefined;
    return {
      folder,
      target,
      name: appName(folder),
      repoPath: mesh.gitops.path ? `${mesh.gitops.path}/${folder}` : folder,
      wave: order.wave.get(folder) ?? 0,
      dependsOn: (order.dependsOn.get(folder) ?? []).map(appName),
      ...(cluster ? { cluster } : {}),
      apisFromElsewhere: apisFromElsewhere(objects, target.type === 'workspace'),
      kinds: new Set(objects.map((o) => `${o.apiVersion}/${o.kind}`)),
      clusterScoped: new Set(objects.filter((o) => !o.metadata.namespace).map((o) => `${groupOf(o.apiVersion)}/${o.kind}`)),
      ...(owner ? { owner } : {}),
    };
  });
  const origin = { path: '(gitops)' };
  const out: Manifest[] = [];
  if (mesh.gitops.engines.includes('argocd')) for (const object of emitArgoCd(mesh, units)) out.push({ target: { type: 'gitops', engine: 'argocd' }, object, origin });
  if (mesh.gitops.engines.includes('flux')) for (const object of emitFlux(mesh, units)) out.push({ target: { type: 'gitops', engine: 'flux' }, object, origin });
  return out;
}
