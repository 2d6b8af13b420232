import type { KubeObject } from '../model/mesh.js';
import { groupOf, kindKey } from '../model/collections.js';
import type { Manifest } from './manifest.js';
import { syncOptionsAnnotation } from './ordering.js';

/**
 * Kinds whose deletion destroys data: a Workspace (kcp deletes everything in it), an APIBinding (kcp's
 * apibindingdeletion controller deletes every bound instance), an APIExport, a CRD or a Namespace (their
 * objects go with them), and an APIServiceBinding or bundle (kube-bind v0.8.1 gives every CRD it binds an
 * owner reference to its binding, servicebinding_reconcile.go, so the garbage collector takes CRD and instances).
 * A ResourceGraphDefinition is not here: kro v0.9.3 keeps the generated CRD unless run with --allow-crd-deletion.
 */
const dataKinds: ReadonlySet<string> = new Set([
  kindKey('apiextensions.k8s.io', 'CustomResourceDefinition'),
  kindKey('', 'Namespace'),
  kindKey('tenancy.kcp.io', 'Workspace'),
  kindKey('apis.kcp.io', 'APIBinding'),
  kindKey('apis.kcp.io', 'APIExport'),
  kindKey('kube-bind.io', 'APIServiceBinding'),
  kindKey('kube-bind.io', 'APIServiceBindingBundle'),
]);

/** Argo CD (docs/user-guide/sync-options.md): never pruned when it leaves the output, kept when its app is deleted. */
export const keepInArgoCd = ['Prune=false', 'Delete=false'];
/** Flux kustomize-controller: left out of garbage collection, on prune and when the Kustomization is deleted. */
export const fluxPruneAnnotation = 'kustomize.toolkit.fluxcd.io/prune';

export function destroysData(o: KubeObject): boolean {
  return dataKinds.has(kindKey(groupOf(o.apiVersion), o.kind));
}

/**
 * The default never destroys: moving a line of the mesh (or p2c moving an object to another folder, as stage
 * folders do) must not let either engine delete an object that holds data. Applied to every emitted object of
 * those kinds, the user's own included.
 */
export function protect(manifests: readonly Manifest[]): Manifest[] {
  return manifests.map((m) => {
    if (!destroysData(m.object)) return m;
    const annotations = { ...(m.object.metadata.annotations ?? {}) };
    const options = (annotations[syncOptionsAnnotation] ?? '').split(',').filter((s) => s !== '');
    annotations[syncOptionsAnnotation] = [...options, ...keepInArgoCd.filter((k) => !options.includes(k))].join(',');
    annotations[fluxPruneAnnotation] = 'disabled';
    return { ...m, object: { ...m.object, metadata: { ...m.object.metadata, annotations } } };
  });
}
