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

/** A GitRepository and one Kustomization per folder, chained with dependsOn along the apply order. */
export function emitFlux(mesh: ResolvedMesh, units: readonly AppUnit[]): KubeObject[] {
  const g = mesh.gitops;
  const labels = standardLabels(mesh.name);
  const source: KubeObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: mesh.name, namespace: g.fluxNamespace, labels },
    spec: {
      interval: '1m',
      url: g.repoURL ?? '', // undefined only when the gitops-target check fails the synth
      ref: { branch: g.revision },
      ...(g.path ? { ignore: `/*\n!/${g.path}/\n` } : {}),
    },
  };
  return [source, ...units.map((u): KubeObject => ({
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
    },
  }))];
}

function withKubeConfig(secret: string | undefined) {
  return secret ? { kubeConfig: { secretRef: { name: secret, key: 'kubeconfig' } } } : {};
}
