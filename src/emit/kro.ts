import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, type Manifest } from './manifest.js';
import { orderingAnnotations, wave } from './ordering.js';
import { templateKind } from '../check/kro.js';

/**
 * KRO ResourceGraphDefinitions. kro type-checks a graph against the CRDs of its children when
 * the graph is created, so a graph using a kind that arrives through kube-bind goes in a later
 * sync wave than the binding that brings it.
 */
export function emitKro(mesh: ResolvedMesh): Manifest[] {
  return mesh.kroGraphs.map((g) => {
    const kinds = mesh.clusterKinds.get(g.cluster);
    const usesBound = g.resources.some((r) => {
      const k = templateKind(r);
      return k !== undefined && kinds?.get(`${k.group}/${k.kind}`)?.via === 'kube-bind';
    });
    const { group, apiVersion, kind, spec, status, types } = g.schema;
    const object: KubeObject = {
      apiVersion: 'kro.run/v1alpha1',
      kind: 'ResourceGraphDefinition',
      metadata: { name: g.name, labels: standardLabels(mesh.name), annotations: orderingAnnotations(usesBound ? wave.consumers : wave.apis, true) },
      spec: {
        schema: { apiVersion, kind, group, ...(spec ? { spec } : {}), ...(status ? { status } : {}), ...(types ? { types } : {}) },
        resources: g.resources.map((r) => ({
          id: r.id,
          ...(r.template ? { template: r.template } : {}),
          ...(r.externalRef ? { externalRef: r.externalRef } : {}),
          ...(r.readyWhen.length ? { readyWhen: [...r.readyWhen] } : {}),
          ...(r.includeWhen.length ? { includeWhen: [...r.includeWhen] } : {}),
        })),
      },
    };
    return { target: clusterTarget(g.cluster), object, origin: g.origin };
  });
}
