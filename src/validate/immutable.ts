import type { KubeObject } from '../model/mesh.js';
import { groupOf, kindKey } from '../model/collections.js';
import type { SchemaCatalog } from './schema-catalog.js';

type Json = Record<string, unknown>;

const at = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v === null || typeof v !== 'object' ? undefined : (v as Json)[k]), o);
/** Key order is not meaning: the previous output comes back from YAML with sorted keys. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonical) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Json)[k])])) : v;
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/**
 * Fields of built-in kinds the API server refuses to change on update (the OpenAPI schema does not say so):
 * kubernetes pkg/apis/{rbac,apps,batch,core}/validation and apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go (scope and kind are immutable once the CRD is established,
 * which every CRD GitOps applied is). `whenSet`: only when both sides set it (a Service's clusterIP).
 */
const builtIn: ReadonlyMap<string, readonly { path: string; whenSet?: boolean; when?: (before: KubeObject) => boolean }[]> = new Map([
  [kindKey('rbac.authorization.k8s.io', 'RoleBinding'), [{ path: 'roleRef' }]],
  [kindKey('rbac.authorization.k8s.io', 'ClusterRoleBinding'), [{ path: 'roleRef' }]],
  [kindKey('apps', 'Deployment'), [{ path: 'spec.selector' }]],
  [kindKey('apps', 'ReplicaSet'), [{ path: 'spec.selector' }]],
  [kindKey('apps', 'DaemonSet'), [{ path: 'spec.selector' }]],
  [kindKey('apps', 'StatefulSet'), [{ path: 'spec.selector' }, { path: 'spec.serviceName' }, { path: 'spec.volumeClaimTemplates' }, { path: 'spec.podManagementPolicy' }]],
  [kindKey('batch', 'Job'), [{ path: 'spec.selector', whenSet: true }, { path: 'spec.template' }]],
  [kindKey('', 'Service'), [{ path: 'spec.clusterIP', whenSet: true }]],
  [kindKey('', 'PersistentVolumeClaim'), [{ path: 'spec.accessModes' }, { path: 'spec.storageClassName', whenSet: true }, { path: 'spec.selector' }, { path: 'spec.volumeMode', whenSet: true }]],
  [kindKey('', 'ConfigMap'), [{ path: 'data', when: immutableData }, { path: 'binaryData', when: immutableData }, { path: 'immutable', when: immutableData }]],
  [kindKey('', 'Secret'), [{ path: 'data', when: immutableData }, { path: 'stringData', when: immutableData }, { path: 'immutable', when: immutableData }, { path: 'type', whenSet: true }]],
  [kindKey('apiextensions.k8s.io', 'CustomResourceDefinition'), [{ path: 'spec.scope' }, { path: 'spec.names.kind' }, { path: 'spec.group' }, { path: 'spec.names.plural' }]],
  // kcp v0.32.0 pkg/admission/workspace/admission.go: spec.type may not change, be set or be unset (beyond the
  // CRD's CEL rules, which allow setting it); so may not spec.mount.
  [kindKey('tenancy.kcp.io', 'Workspace'), [{ path: 'spec.type' }, { path: 'spec.mount' }]],
]);

function immutableData(before: KubeObject): boolean {
  return (before as Json)['immutable'] === true;
}

/**
 * What the API server would refuse in an update from `before` to `after` (same object): transition rules of
 * custom kinds (`self == oldSelf` and the like) and the immutable fields of built-in kinds. `field: why`.
 */
export function immutableChanges(before: KubeObject, after: KubeObject, catalog: SchemaCatalog): string[] {
  const fromSchema = catalog.transitionProblems(before, after) ?? [];
  const fields = builtIn.get(kindKey(groupOf(after.apiVersion), after.kind)) ?? [];
  const fromBuiltIn = fields
    .filter((f) => !f.when || f.when(before))
    .filter((f) => !(f.whenSet && (at(before, f.path) === undefined || at(after, f.path) === undefined)))
    .filter((f) => !same(at(before, f.path), at(after, f.path)))
    .map((f) => `/${f.path.split('.').join('/')}: field is immutable`);
  return [...fromSchema, ...fromBuiltIn];
}
