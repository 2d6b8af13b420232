import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { applyTargets, inClusterServer } from '../model/target.js';
import { standardLabels } from './manifest.js';
import { argocdSettings } from './argocd-health.js';
import { fluxSource } from './flux.js';
import type { Prerequisite } from './prerequisites.js';
import { deliverable } from './gitops.js';

/** A path of the output as a path in the repository: what the root apps read, and the file a person applies. */
const inRepository = (mesh: ResolvedMesh, rel: string) => `${mesh.gitops.path ? `${mesh.gitops.path}/` : ''}${rel}`;
const engineFolder = (mesh: ResolvedMesh, engine: 'argocd' | 'flux') => inRepository(mesh, `gitops/${engine}`);

/**
 * Argo CD, app of apps: one root Application applying gitops/argocd/ (the AppProjects, then every folder's
 * Application in its sync wave), and the argocd-cm keys without which those waves would not wait. A generated
 * ApplicationSet was the alternative: its generated Applications are ordered only by progressive syncs (RollingSync),
 * which must be switched on in the ApplicationSet controller and step through label selectors, not through each
 * folder's own predecessors. Plain Applications in sync waves need nothing switched on but the health checks applied
 * with this file.
 */
function argocdBootstrap(mesh: ResolvedMesh): Prerequisite {
  const g = mesh.gitops;
  const labels = standardLabels(mesh.name);
  const root: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `${mesh.name}-root`, namespace: g.argocdNamespace, labels },
    spec: {
      // The project every Argo CD install has; the mesh's own projects are created by this app.
      project: 'default',
      source: { repoURL: g.repoURL ?? '', targetRevision: g.revision, path: engineFolder(mesh, 'argocd') },
      destination: { server: inClusterServer, namespace: g.argocdNamespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['ServerSideApply=true'],
        retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    },
  };
  const file = 'gitops/argocd/bootstrap.yaml';
  return {
    title: 'Bootstrap Argo CD (once)',
    why: 'nothing applies gitops/argocd/ until a root Application does; the argocd-cm keys give Argo CD the health checks its sync waves wait on (Application, Workspace, APIBinding, APIExport, APIServiceBinding)',
    command: `kubectl -n ${g.argocdNamespace} apply --server-side -f ${inRepository(mesh, file)}`,
    file: { path: file, target: { type: 'gitops', engine: 'argocd' }, objects: [argocdSettings(g.argocdNamespace, labels), root] },
  };
}

/** Flux: the GitRepository and one root Kustomization applying gitops/flux/, whose Kustomizations order the rest. */
function fluxBootstrap(mesh: ResolvedMesh): Prerequisite {
  const g = mesh.gitops;
  const root: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: `${mesh.name}-root`, namespace: g.fluxNamespace, labels: standardLabels(mesh.name) },
    spec: {
      interval: '10m',
      retryInterval: '1m',
      path: `./${engineFolder(mesh, 'flux')}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: mesh.name },
    },
  };
  const file = 'gitops/flux/bootstrap.yaml';
  return {
    title: 'Bootstrap Flux (once)',
    why: 'nothing applies gitops/flux/ until a root Kustomization does; its Kustomizations then apply every folder in order (dependsOn)',
    command: `kubectl apply -f ${inRepository(mesh, file)}`,
    file: { path: file, target: { type: 'gitops', engine: 'flux' }, objects: [fluxSource(mesh), root] },
  };
}

/**
 * Argo CD reaches a workspace only as a registered cluster, and `argocd cluster add` puts its service account in
 * kube-system unless told otherwise; a kcp workspace has no kube-system (argo-cd v3.5.1
 * cmd/argocd/commands/cluster.go --system-namespace, default kube-system).
 */
function argocdWorkspaces(mesh: ResolvedMesh): Prerequisite[] {
  // Every workspace an Application targets, parents included.
  const paths = [...new Set(applyTargets(mesh).flatMap((t) => (t.type === 'workspace' ? [t.path] : [])))].sort();
  if (paths.length === 0 || mesh.frontProxyUrl === undefined) return [];
  return [{
    title: 'Register the workspaces with Argo CD (once each)',
    why: 'Argo CD deploys only to registered clusters; a workspace has no kube-system for the service account argocd cluster add creates there',
    command: paths.map((p) => `argocd cluster add <kube context for ${mesh.frontProxyUrl}/clusters/${p}> --name ${p} --system-namespace default`).join('\n'),
  }];
}

/** The one file per engine a platform team applies once; everything else follows from Git. */
export function bootstrapSteps(mesh: ResolvedMesh): Prerequisite[] {
  if (!deliverable(mesh)) return [];
  return [
    ...(mesh.gitops.engines.includes('argocd') ? [...argocdWorkspaces(mesh), argocdBootstrap(mesh)] : []),
    ...(mesh.gitops.engines.includes('flux') ? [fluxBootstrap(mesh)] : []),
  ];
}
