import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import type { AppUnit } from './gitops.js';
import { standardLabels } from './manifest.js';
import { skipDryRun, syncWaveAnnotation } from './ordering.js';
import { inClusterServer } from '../model/target.js';

/** Argo CD's destination for a folder: the workspace through the kcp front-proxy, or the cluster. */
function destination(mesh: ResolvedMesh, unit: AppUnit): { server: string } {
  // Without a front-proxy URL or repoURL the gitops-target check fails the synth: nothing is written then.
  if (unit.target.type === 'workspace') return { server: `${mesh.frontProxyUrl ?? ''}/clusters/${unit.target.path}` };
  // A cluster without a destination is reported by the cluster-destination check; nothing is written then.
  return { server: unit.cluster?.server ?? (unit.cluster?.inCluster ? inClusterServer : '') };
}


/**
 * One Application per folder, in sync waves following the apply order. Waves between
 * Applications only block when Argo CD assesses Application health (the argocd-cm
 * customization documented in the README); retries cover what kcp settles at runtime.
 */
export function emitArgoCd(mesh: ResolvedMesh, units: readonly AppUnit[]): KubeObject[] {
  const g = mesh.gitops;
  return units.map((u) => ({
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
      project: g.argocdProject,
      source: { repoURL: g.repoURL ?? '', targetRevision: g.revision, path: u.repoPath },
      destination: destination(mesh, u),
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: [...(u.apisFromElsewhere ? [skipDryRun] : []), 'ServerSideApply=true'],
        retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    },
  }));
}
