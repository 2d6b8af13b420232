import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, type Manifest } from './manifest.js';
import { skipDryRun, syncOptionsAnnotation } from './ordering.js';

/**
 * KRO ResourceGraphDefinitions. kro (v0.9.3) resolves a graph against the CRDs of its children and retries with
 * backoff while one is missing; a graph using a kind that arrives through kube-bind goes to the stage folder
 * where that kind exists (resolve/stages.ts), not a sync wave: nothing in Argo CD waits on an APIServiceBinding.
 */
export function emitKro(mesh: ResolvedMesh): Manifest[] {
  return mesh.kroGraphs.map((g) => {
    const { group, apiVersion, kind, spec, status, types } = g.schema;
    const object: KubeObject = {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: g.name, labels: standardLabels(mesh.name), annotations: { [syncOptionsAnnotation]: skipDryRun } },
      spec: {
        schema: { apiVersion, kind, group, ...(spec ? { spec } : {}), ...(status ? { status } : {}), ...(types ? { types } : {}) },
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
