import type { KubeBindBackendModel, KubeObject, Target } from '../model/mesh.js';
import type { ResolvedKubeBindBinding, ResolvedMesh, ResolvedOffer } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, workspaceTarget, type Manifest } from './manifest.js';
import { readOnly, readWrite, resourceRules, roleWithBinding, type Rule } from './rbac.js';
import { deployment, kubeconfigVolume } from './workload.js';
import { orderingAnnotations, wave } from './ordering.js';
import { crdObject } from './crd.js';
import { groupBy } from '../model/collections.js';

const kubeBindKinds = ['apiserviceexporttemplates', 'collections', 'apiserviceexportrequests', 'apiserviceexports', 'apiservicenamespaces', 'clusterbindings', 'boundschemas', 'bindableresourcesrequests', 'clusters', 'apiconversions'];

/** Where a backend's catalogue objects live: its cluster, or (kcp mode) the workspace it serves. */
function catalogTarget(b: KubeBindBackendModel): Target {
  return b.source.type === 'kcp' && b.source.workspacePath ? workspaceTarget(b.source.workspacePath) : clusterTarget(b.cluster);
}

function backendRbac(mesh: ResolvedMesh, b: KubeBindBackendModel, offers: readonly ResolvedOffer[]): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const subjects = [{ kind: 'ServiceAccount', name: 'kube-bind-backend', namespace: b.namespace }];
  const served: Array<[string, string]> = [];
  for (const o of offers) {
    for (const r of o.resources) served.push([r.group, r.plural], [r.group, `${r.plural}/status`]);
    for (const c of o.claims) served.push([c.group, c.resource]);
  }
  // The backend grants consumers access to exactly what it holds itself, so it needs no `escalate`.
  const rules: Rule[] = [
    ...resourceRules(kubeBindKinds.flatMap((k) => [['kube-bind.io', k], ['kube-bind.io', `${k}/status`]] as Array<[string, string]>), readWrite),
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: readOnly },
    { apiGroups: [''], resources: ['namespaces', 'secrets', 'serviceaccounts'], verbs: readWrite },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'], verbs: readWrite },
    { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ...resourceRules(served, readWrite),
  ];
  return [
    ...roleWithBinding(`p2c:kube-bind-backend:${b.namespace}`, labels, rules, subjects),
    ...roleWithBinding('p2c:kube-bind-backend', labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ], subjects, b.namespace),
  ];
}

function backendDeployment(mesh: ResolvedMesh, b: KubeBindBackendModel): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': 'kube-bind-backend' };
  const args = [`--namespace-prefix=kube-bind-`, `--pretty-name=${b.prettyName}`, `--consumer-scope=${b.consumerScope}`];
  if (b.externalAddress) args.push(`--external-address=${b.externalAddress}`);
  const env: object[] = [];
  const volumes: object[] = [];
  const mounts: object[] = [];
  if (b.source.type === 'kcp') {
    args.push('--multicluster-runtime-provider=kcp', `--apiexport-endpoint-slice-name=${b.source.endpointSlice}`, '--schema-source=apiresourceschemas', '--kubeconfig=/etc/kcp/kubeconfig');
    const k = kubeconfigVolume('kcp-kubeconfig', b.source.kubeconfigSecret, '/etc/kcp');
    volumes.push(k.volume);
    mounts.push(k.mount);
  }
  if (b.oidc) {
    args.push(`--oidc-issuer-url=${b.oidc.issuerUrl}`, `--oidc-issuer-client-id=${b.oidc.clientId}`, '--oidc-issuer-client-secret=$(OIDC_CLIENT_SECRET)', `--oidc-callback-url=${b.oidc.callbackUrl}`, '--listen-address=0.0.0.0:8080');
    env.push({ name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: b.oidc.clientSecret.name, key: b.oidc.clientSecret.key } } });
  } else {
    // GitOps default: no browser flow; consumers are admitted with BindableResourcesRequests.
    args.push('--frontend-disabled');
  }
  const out: KubeObject[] = [deployment({
    meshName: mesh.name, name: 'kube-bind-backend', namespace: b.namespace, selector, replicas: 1, serviceAccount: 'kube-bind-backend',
    container: {
      name: 'backend', image: b.image, args,
      ...(env.length ? { env } : {}),
      ...(b.oidc ? { ports: [{ name: 'http', containerPort: 8080 }] } : {}),
      ...(mounts.length ? { volumeMounts: mounts } : {}),
    },
    volumes,
  })];
  if (b.oidc) {
    out.push({
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kube-bind-backend', namespace: b.namespace, labels: standardLabels(mesh.name) },
      spec: { selector, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] },
    });
  }
  return out;
}

function template(mesh: ResolvedMesh, o: ResolvedOffer): KubeObject {
  return {
    apiVersion: 'kube-bind.io/v1alpha2', kind: 'APIServiceExportTemplate',
    metadata: { name: o.name, labels: standardLabels(mesh.name) },
    spec: {
      scope: o.scope,
      resources: o.resources.map((r) => ({ group: r.group, resource: r.plural, versions: [...r.versions] })),
      ...(o.claims.length
        ? {
            permissionClaims: o.claims.map((c) => ({
              group: c.group,
              resource: c.resource,
              selector: { references: o.resources.map((r) => ({ group: r.group, resource: r.plural, versions: [...r.versions], jsonPath: { name: c.reference } })) },
            })),
          }
        : {}),
    },
  };
}

function bindableRequest(mesh: ResolvedMesh, o: ResolvedOffer, b: ResolvedKubeBindBinding, namespace: string): KubeObject {
  return {
    apiVersion: 'kube-bind.io/v1alpha2', kind: 'BindableResourcesRequest',
    metadata: { name: `${b.cluster}.${o.name}`, namespace, labels: standardLabels(mesh.name) },
    spec: {
      templateRef: { name: o.name },
      clusterIdentity: { identity: b.cluster, prettyName: b.cluster },
      author: 'p2c',
      // The backend writes the consumer's kubeconfig here; it is delivered to the consumer
      // cluster out of band (a secrets operator), never through Git.
      kubeconfigSecretRef: { name: b.kubeconfigSecret, key: 'kubeconfig' },
    },
  };
}

function konnector(mesh: ResolvedMesh, bindings: readonly ResolvedKubeBindBinding[]): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const ns = 'kube-bind';
  const subjects = [{ kind: 'ServiceAccount', name: 'konnector', namespace: ns }];
  const bound: Array<[string, string]> = [];
  const claimed: Array<[string, string]> = [];
  const crdNames = new Set<string>();
  for (const b of bindings) {
    for (const r of b.target?.resources ?? []) {
      bound.push([r.group, r.plural], [r.group, `${r.plural}/status`]);
      crdNames.add(`${r.plural}.${r.group}`);
    }
    for (const c of b.target?.claims ?? []) claimed.push([c.group, c.resource]);
  }
  // Upstream gives the konnector */*/*; this is what it really touches.
  const rules: Rule[] = [
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch', 'create'] },
    ...(crdNames.size ? [{ apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], resourceNames: [...crdNames].sort(), verbs: ['update', 'patch', 'delete'] }] : []),
    { apiGroups: ['kube-bind.io'], resources: ['apiservicebindingbundles', 'apiservicebindingbundles/status', 'apiservicebindings', 'apiservicebindings/status'], verbs: readWrite },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create'] },
    { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ...resourceRules([...bound, ...claimed], readWrite),
  ];
  const selector = { 'app.kubernetes.io/name': 'konnector' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'konnector', namespace: ns, labels } },
    ...roleWithBinding('p2c:kube-bind-konnector', labels, rules, subjects),
    ...roleWithBinding('p2c:kube-bind-konnector', labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      { apiGroups: [''], resources: ['secrets'], verbs: readOnly },
    ], subjects, ns),
    deployment({
      meshName: mesh.name, name: 'konnector', namespace: ns, selector, replicas: 2, serviceAccount: 'konnector',
      container: {
        name: 'konnector', image: bindings[0]!.konnectorImage,
        args: ['--lease-namespace=kube-bind'],
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
      },
    }),
    ...bindings.map((b): KubeObject => ({
      apiVersion: 'kube-bind.io/v1alpha2',
      kind: b.bundle ? 'APIServiceBindingBundle' : 'APIServiceBinding',
      metadata: { name: b.name, labels, annotations: orderingAnnotations(wave.bindings, true) },
      spec: { kubeconfigSecretRef: { name: b.kubeconfigSecret, namespace: ns, key: 'kubeconfig' } },
    })),
  ];
}

/** kube-bind: backends and their catalogue on providers, konnectors and bindings on consumers. */
export function emitKubeBind(mesh: ResolvedMesh): Manifest[] {
  const out: Manifest[] = [];
  const offersOf = groupBy(mesh.kubeBindOffers, (o) => o.backend);
  const bindingsOf = groupBy(mesh.kubeBindBindings, (kb) => kb.offer);
  for (const b of mesh.kubeBindBackends) {
    const offers = offersOf.get(b.key) ?? [];
    const add = (target: Target, object: KubeObject) => out.push({ target, object, origin: b.origin });
    const here = clusterTarget(b.cluster);
    const catalog = catalogTarget(b);
    add(here, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: b.namespace, labels: standardLabels(mesh.name) } });
    add(here, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-bind-backend', namespace: b.namespace, labels: standardLabels(mesh.name) } });
    // In kcp mode the backend's permissions come from the kube-bind.io APIExport binding, not cluster RBAC.
    if (b.source.type === 'cluster') backendRbac(mesh, b, offers).forEach((o) => add(here, o));
    backendDeployment(mesh, b).forEach((o) => add(here, o));
    if (b.source.type === 'kcp') add(catalog, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: b.namespace, labels: standardLabels(mesh.name) } });
    if (offers.length) {
      add(catalog, { apiVersion: 'kube-bind.io/v1alpha2', kind: 'Collection', metadata: { name: b.cluster, labels: standardLabels(mesh.name) }, spec: { description: `APIs offered by ${b.prettyName}`, templates: offers.map((o) => ({ name: o.name })).sort((x, y) => x.name.localeCompare(y.name)) } });
    }
    for (const o of offers) {
      if (o.resources.length === 0) continue; // unresolved: a check reports it
      if (o.api.type === 'crd' && o.api.installCrd) for (const r of o.resources) out.push({ target: here, object: crdObject(mesh.name, r.crd), origin: o.origin });
      out.push({ target: catalog, object: template(mesh, o), origin: o.origin });
      for (const kb of bindingsOf.get(o.key) ?? []) out.push({ target: catalog, object: bindableRequest(mesh, o, kb, b.namespace), origin: kb.origin });
    }
  }
  for (const [cluster, list] of [...groupBy(mesh.kubeBindBindings, (kb) => kb.cluster)].sort(([a], [b]) => a.localeCompare(b))) {
    for (const object of konnector(mesh, list)) out.push({ target: clusterTarget(cluster), object, origin: list[0]!.origin });
  }
  return out;
}
