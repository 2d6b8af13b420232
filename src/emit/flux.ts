import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import type { AppUnit } from './gitops.js';
import { standardLabels } from './manifest.js';

/** Flux reaches each target through a kubeconfig Secret it is given, never one p2c writes. */
function kubeconfigSecret(mesh: ResolvedMesh, unit: AppUnit): string | undefined {
  if (unit.target.type === 'workspace') return `kcp-${unit.target.path.split(':').join('-')}-kubeconfig`;
  // The cluster Flux runs in is applied with Flux's own identity, as Argo CD applies it to kubernetes.default.svc.
  return unit.cluster!.inCluster ? undefined : unit.cluster!.kubeconfigSecret; // every cluster folder has its cluster
}

/** The repository every Kustomization reads: in gitops/flux/ and in the bootstrap file. */
export function fluxSource(mesh: ResolvedMesh): KubeObject {
  const g = mesh.gitops;
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: mesh.name, namespace: g.fluxNamespace, labels: standardLabels(mesh.name) },
    spec: {
      interval: '1m',
      url: g.repoURL ?? '', // undefined only when the gitops-target check fails the synth
      ref: { branch: g.revision },
      ...(g.path ? { ignore: `/*\n!/${g.path}/\n` } : {}),
    },
  };
}

/**
 * Readiness kstatus cannot see. With wait, Flux treats an object without a Ready condition as ready at once
 * (fluxcd/cli-utils v1.2.1 pkg/kstatus/status/generic.go); kcp's Workspace and APIExport have none (kcp v0.32.3
 * types_workspace.go, types_apiexport.go), so they say it in CEL (kustomize-controller v1.9.4 healthCheckExprs). The
 * object's fields are the expression's variables (fluxcd/pkg runtime/cel/expression.go); before kcp writes any status
 * an expression errors, which kstatus reads as Unknown and keeps polling (runtime/cel/status_evaluator.go), so a new
 * object is waited for, not failed.
 */
const readinessExprs = [
  { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', current: "has(status.phase) && status.phase == 'Ready'" },
  { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', current: "has(status.identityHash) && status.identityHash != ''" },
] as const;

function healthCheckExprs(kinds: ReadonlySet<string>) {
  const exprs = readinessExprs.filter((e) => kinds.has(`${e.apiVersion}/${e.kind}`));
  return exprs.length ? { healthCheckExprs: exprs.map((e) => ({ ...e })) } : {};
}

/** A GitRepository and one Kustomization per folder, chained with dependsOn along the apply order. */
export function emitFlux(mesh: ResolvedMesh, units: readonly AppUnit[]): KubeObject[] {
  const g = mesh.gitops;
  const labels = standardLabels(mesh.name);
  return [fluxSource(mesh), ...units.map((u): KubeObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: u.name, namespace: g.fluxNamespace, labels },
    spec: {
      interval: '10m',
      retryInterval: '1m',
      timeout: '5m',
      path: `./${u.repoPath}`,
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: mesh.name },
      ...(u.dependsOn.length ? { dependsOn: u.dependsOn.map((name) => ({ name })) } : {}),
      ...withKubeConfig(kubeconfigSecret(mesh, u)),
      ...healthCheckExprs(u.kinds),
    },
  }))];
}

function withKubeConfig(secret: string | undefined) {
  return secret ? { kubeConfig: { secretRef: { name: secret, key: 'kubeconfig' } } } : {};
}
