import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, type Manifest } from './manifest.js';
import { skipDryRun, syncOptionsAnnotation } from './ordering.js';
import { exportedLabel } from './kube-bind.js';

/**
 * KRO ResourceGraphDefinitions. kro (v0.9.3) resolves a graph against the CRDs of its children and retries with
 * backoff while one is missing; a graph using a kind that arrives through kube-bind goes to the stage folder
 * where that kind exists (resolve/stages.ts), not a sync wave: nothing in Argo CD waits on an APIServiceBinding.
 */
export function emitKro(mesh: ResolvedMesh): Manifest[] {
  // kube-bind offers only CRDs labelled exported; kro copies schema.metadata.labels onto the CRD it makes
  // (kubernetes-sigs/kro v0.9.3 pkg/graph/crd/crd.go newCRD), so an offered graph's CRD arrives labelled.
  const offered = new Set(mesh.kubeBindOffers.flatMap((o) => (o.api.type === 'crd' && o.api.graph ? [`${o.api.graph.cluster}/${o.api.graph.name}`] : [])));
  return mesh.kroGraphs.map((g) => {
    const { group, apiVersion, kind, spec, status, types, scope } = g.schema;
    const metadata = offered.has(`${g.cluster}/${g.name}`) ? { metadata: { labels: { [exportedLabel]: 'true' } } } : {};
    const object: KubeObject = {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: g.name, labels: standardLabels(mesh.name), annotations: { [syncOptionsAnnotation]: skipDryRun } },
      spec: {
        schema: { apiVersion, kind, group, ...(scope ? { scope } : {}), ...metadata, ...(spec ? { spec } : {}), ...(status ? { status } : {}), ...(types ? { types } : {}) },
        resources: g.resources.map((r) => ({
          id: r.id,
          ...(r.template ? { template: r.template } : {}),
          ...(r.externalRef ? { externalRef: r.externalRef } : {}),
          ...(r.readyWhen.length ? { readyWhen: [...r.readyWhen] } : {}),
          ...(r.includeWhen.length ? { includeWhen: [...r.includeWhen] } : {}),
          ...(r.forEach.length ? { forEach: r.forEach.map((f) => ({ ...f })) } : {}),
        })),
      },
    };
    return { target: clusterTarget(g.cluster), object, origin: g.origin };
  });
}
