import type { KubeObject, MeshModel } from '../model/mesh.js';
import { groupOf, kindKey } from '../model/collections.js';
import { folderOf, objectIdentity } from '../model/target.js';
import type { Manifest } from './manifest.js';
import { syncOptionsAnnotation } from './ordering.js';

/**
 * Kinds whose deletion destroys data: a Workspace (kcp deletes everything in it), an APIBinding (kcp's
 * apibindingdeletion controller deletes every bound instance), an APIExport, a CRD or a Namespace (their
 * objects go with them), and an APIServiceBinding or bundle (kube-bind v0.8.1 gives every CRD it binds an
 * owner reference to its binding, servicebinding_reconcile.go, so the garbage collector takes CRD and instances),
 * and a PersistentVolumeClaim (its volume is deleted with it under the default Delete reclaim policy).
 * A ResourceGraphDefinition is not here: kro v0.9.3 keeps the generated CRD unless run with --allow-crd-deletion.
 */
const dataKinds: ReadonlySet<string> = new Set([
  kindKey('apiextensions.k8s.io', 'CustomResourceDefinition'),
  kindKey('', 'Namespace'),
  // A claim's volume goes with it under the usual Delete reclaim policy.
  kindKey('', 'PersistentVolumeClaim'),
  kindKey('tenancy.kcp.io', 'Workspace'),
  // account-operator deletes the account's workspace with it.
  kindKey('core.platform-mesh.io', 'Account'),
  kindKey('apis.kcp.io', 'APIBinding'),
  kindKey('apis.kcp.io', 'APIExport'),
  // New workspaces and accounts of the type, and of every type extending it, can no longer be created; an org's
  // `<org>-account` type is account-operator's too (platform-mesh/account-operator workspace_type.go).
  kindKey('tenancy.kcp.io', 'WorkspaceType'),
  // platform-mesh-operator (a90b69f, pkg/subroutines/providers): deleting it uninstalls the provider's charts (deploy.go
  // Finalize) and, with cleanupOnDelete, its Provider, whose finalizer deletes the provider workspace (workspace.go).
  kindKey('providers.platform-mesh.io', 'ManagedProvider'),
  kindKey('kube-bind.io', 'APIServiceBinding'),
  kindKey('kube-bind.io', 'APIServiceBindingBundle'),
]);

/**
 * Argo CD v3.5.1: `Prune=false` on the live object makes gitops-engine's pruneObject skip it when it leaves the output
 * (gitops-engine/pkg/sync/sync_context.go, isPruningDisabled); `Delete=false` makes finalizeApplicationDeletion keep it
 * when its Application is deleted (controller/appcontroller.go, shouldBeDeleted). Each covers one of the two.
 */
export const keepInArgoCd = ['Prune=false', 'Delete=false'];
/**
 * Flux kustomize-controller v1.9.4: objects with this annotation `disabled` are passed as exclusions to fluxcd/pkg
 * ssa DeleteAll (manager_delete.go returns SkippedAction), both in garbage collection and in finalize on deletion.
 */
export const fluxPruneAnnotation = 'kustomize.toolkit.fluxcd.io/prune';

/** On an object that lost its protection through Mesh.retire: the reason, for reviewers and for the next synth. */
export const retireAnnotation = 'p2c.dev/retire';

export function destroysData(o: KubeObject, extraKinds: ReadonlySet<string> = new Set()): boolean {
  const key = kindKey(groupOf(o.apiVersion), o.kind);
  return dataKinds.has(key) || extraKinds.has(key);
}

/** Whether a live object (as last written) is kept by both engines when it leaves the output. */
export function isProtected(o: KubeObject): boolean {
  const a = o.metadata?.annotations ?? {};
  return a[fluxPruneAnnotation] === 'disabled' && (a[syncOptionsAnnotation] ?? '').split(',').includes('Prune=false');
}

function identity(m: Manifest): string {
  return objectIdentity(folderOf(m.target), m.object);
}

function retiredBy(model: Pick<MeshModel, 'retired'>, m: Manifest): string | undefined {
  const p = m.origin.path;
  return model.retired.find((r) => p === r.path || p.startsWith(`${r.path}/`))?.reason;
}

function annotate(m: Manifest, change: (annotations: Record<string, string>) => void): Manifest {
  const annotations = { ...(m.object.metadata.annotations ?? {}) };
  change(annotations);
  return { ...m, object: { ...m.object, metadata: { ...m.object.metadata, annotations } } };
}

/**
 * The default never destroys: moving a line of the mesh (or p2c moving an object to another folder, as stage
 * folders do) must not let either engine delete an object that holds data. Applied to every emitted object of
 * those kinds (p2c's list and meshDataKinds), the user's own included. An object whose every
 * emitter lies under a Mesh.retire scope is left unprotected instead, carrying the reason.
 */
/**
 * Kinds whose objects hold data in this mesh, beyond p2c's own list: the mesh's protectedKinds, and instances of
 * every API the mesh provides or composes. Deleting a Postgres instance makes api-syncagent delete the database at
 * the provider; deleting a KRO instance makes kro delete everything it created for it.
 */
export function meshDataKinds(model: Pick<MeshModel, 'protectedKinds' | 'exports' | 'kubeBindOffers' | 'kroGraphs'>): Set<string> {
  const out = new Set(model.protectedKinds);
  // An external export's kinds are someone else's API, not the mesh's data.
  for (const e of model.exports) if (!e.external) for (const r of e.resources) out.add(kindKey(r.group, r.kind));
  for (const o of model.kubeBindOffers) if (o.api.type === 'crd') for (const r of o.api.resources) out.add(kindKey(r.group, r.kind));
  for (const g of model.kroGraphs) out.add(kindKey(g.schema.group, g.schema.kind));
  return out;
}

export function protect(manifests: readonly Manifest[], model: Pick<MeshModel, 'retired' | 'protectedKinds' | 'exports' | 'kubeBindOffers' | 'kroGraphs'>): Manifest[] {
  const extra = meshDataKinds(model);
  // An object two constructs emit (a shared namespace) is retired only when both are.
  const kept = new Set<string>();
  for (const m of manifests) if (destroysData(m.object, extra) && retiredBy(model, m) === undefined) kept.add(identity(m));
  return manifests.map((m) => {
    if (!destroysData(m.object, extra)) return m;
    const reason = kept.has(identity(m)) ? undefined : retiredBy(model, m);
    if (reason !== undefined) return annotate(m, (a) => (a[retireAnnotation] = reason));
    return annotate(m, (a) => {
      const options = (a[syncOptionsAnnotation] ?? '').split(',').filter((s) => s !== '');
      a[syncOptionsAnnotation] = [...options, ...keepInArgoCd.filter((k) => !options.includes(k))].join(',');
      a[fluxPruneAnnotation] = 'disabled';
    });
  });
}
