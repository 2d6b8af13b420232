import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import type { AppUnit } from './gitops.js';
import { standardLabels } from './manifest.js';
import { skipDryRun, syncWaveAnnotation } from './ordering.js';
import { inClusterServer } from '../model/target.js';
import { groupBy } from '../model/collections.js';

/** Argo CD's destination for a folder: the workspace through the kcp front-proxy, or the cluster. */
function destination(mesh: ResolvedMesh, unit: AppUnit): { server: string } {
  // Without a front-proxy URL or repoURL the gitops-target check fails the synth: nothing is written then.
  if (unit.target.type === 'workspace') return { server: `${mesh.frontProxyUrl ?? ''}/clusters/${unit.target.path}` };
  // A cluster without a destination is reported by the cluster-destination check; nothing is written then.
  return { server: unit.cluster?.server ?? (unit.cluster?.inCluster ? inClusterServer : '') };
}


/** The project of a folder's app: the mesh's one project, else its team's, else the platform's. */
export function projectOf(mesh: ResolvedMesh, unit: AppUnit): string {
  return mesh.gitops.argocdProject ?? (unit.owner ? `${mesh.name}-team-${unit.owner}` : `${mesh.name}-platform`);
}

/**
 * Isolation between teams, as Argo CD has it: an AppProject per team whose only destinations are the team's
 * workspaces and clusters, allowing cluster-wide only the kinds its folders hold (an empty whitelist allows none:
 * argo-cd v3.5.1 pkg/apis/application/v1alpha1/app_project_types.go). AppProjects cannot restrict paths inside a
 * repository; what each Application reads is fixed by the output p2c generates and a reviewer sees.
 */
function appProjects(mesh: ResolvedMesh, units: readonly AppUnit[]): KubeObject[] {
  if (mesh.gitops.argocdProject !== undefined) return [];
  const g = mesh.gitops;
  return [...groupBy(units, (u) => projectOf(mesh, u))].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, members]) => {
    const owner = members[0]!.owner;
    const servers = [...new Set(members.map((u) => destination(mesh, u).server))].sort();
    const clusterKinds = [...new Set(members.flatMap((u) => [...u.clusterScoped]))].sort();
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: {
        name,
        namespace: g.argocdNamespace,
        labels: standardLabels(mesh.name),
        // Before the Applications that name it.
        annotations: { [syncWaveAnnotation]: '-1' },
      },
      spec: {
        description: owner ? `Team ${owner} of mesh ${mesh.name}: its own workspaces and clusters only` : `The platform's own folders of mesh ${mesh.name} (parent workspaces)`,
        sourceRepos: [g.repoURL ?? ''],
        destinations: servers.map((server) => ({ server, namespace: '*' })),
        clusterResourceWhitelist: clusterKinds.map((k) => ({ group: k.slice(0, k.indexOf('/')), kind: k.slice(k.indexOf('/') + 1) })),
      },
    };
  });
}

/**
 * The AppProjects, then one Application per folder in sync waves following the apply order. Waves between
 * Applications only block when Argo CD assesses Application health: the bootstrap file carries that argocd-cm
 * customization (argocd-health.ts); retries cover what kcp settles at runtime.
 */
export function emitArgoCd(mesh: ResolvedMesh, units: readonly AppUnit[]): KubeObject[] {
  const g = mesh.gitops;
  return [...appProjects(mesh, units), ...units.map((u): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: u.name,
      namespace: g.argocdNamespace,
      labels: standardLabels(mesh.name),
      annotations: { [syncWaveAnnotation]: String(u.wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: projectOf(mesh, u),
      source: { repoURL: g.repoURL ?? '', targetRevision: g.revision, path: u.repoPath },
      destination: destination(mesh, u),
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: [...(u.apisFromElsewhere ? [skipDryRun] : []), 'ServerSideApply=true'],
        retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    },
  }))];
}
