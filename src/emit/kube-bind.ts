import { securityException } from '../validate/security.js';
import type { KubeBindBackendModel, KubeObject, Target } from '../model/mesh.js';
import type { ResolvedKubeBindBinding, ResolvedMesh, ResolvedOffer } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, workspaceTarget, type Manifest } from './manifest.js';
import { readOnly, readWrite, resourceRules, roleWithBinding, type Rule } from './rbac.js';
import { deployment, kubeconfigVolume } from './workload.js';
import { crdObject } from './crd.js';
import { groupBy, sortedBy } from '../model/collections.js';
import { createHash } from 'node:crypto';
import { installableCrds, loadInstallableCrd } from '../crd-import/installable.js';

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
  // Upstream's chart grants '*/*/*' (kube-bind v0.8.1 deploy/charts/backend/templates/role.yaml); this is what the
  // backend touches. It writes RBAC for each consumer (a documented exception to p2c's RBAC rules), and some of it
  // grants what it does not hold: ClusterRole kube-binder-exports has an aggregationRule (serviceexportrbac/
  // rbac_reconciler.go), which Kubernetes admits only with `escalate`, and kube-bind-oidc-user grants `bind` on
  // kube-bind.io and non-resource access (cluster/cluster_reconcile.go), whose binding needs `bind`. Neither can be
  // narrowed by resourceNames: a create's escalation check carries no name. Found by the live suite.
  // Finalizers: it sets owner references on what it creates.
  const rules: Rule[] = [
    ...resourceRules(kubeBindKinds.flatMap((k) => [['kube-bind.io', k], ['kube-bind.io', `${k}/status`], ['kube-bind.io', `${k}/finalizers`]] as Array<[string, string]>), readWrite),
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: readOnly },
    // Per-consumer namespaces, the kube-binder ServiceAccount, its token and the issued kubeconfig Secret.
    { apiGroups: [''], resources: ['namespaces', 'secrets', 'serviceaccounts'], verbs: readWrite },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings', 'rolebindings'], verbs: readWrite },
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles', 'roles'], verbs: [...readWrite, 'bind', 'escalate'] },
    { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    // Core Secrets are already granted above; one rule per resource, never two.
    ...resourceRules(served.filter(([g, r]) => !(g === '' && (r === 'secrets' || r === 'namespaces' || r === 'serviceaccounts'))), readWrite),
  ];
  return [
    ...roleWithBinding(`p2c:kube-bind-backend:${b.namespace}`, labels, rules, subjects, undefined, securityException('rbac-escalation', 'kube-bind v0.8.1 backend creates a namespace, ServiceAccount, token and kubeconfig Secret per consumer, in namespaces it names at run time, and ClusterRoles granting more than it holds (escalate, bind)')),
    ...roleWithBinding('p2c:kube-bind-backend', labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ], subjects, b.namespace),
  ];
}

function backendDeployment(mesh: ResolvedMesh, b: KubeBindBackendModel): KubeObject[] {
  const selector = { 'app.kubernetes.io/name': 'kube-bind-backend' };
  const args = [`--namespace-prefix=${namespacePrefix}`, `--pretty-name=${b.prettyName}`, `--consumer-scope=${b.consumerScope}`];
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
      ...(o.claims.length ? { permissionClaims: claimsOf(o) } : {}),
    },
  };
}

/**
 * Admits one consumer cluster (kube-bind v0.8.1 backend/controllers/bindableresourcesrequest, run only with
 * --frontend-disabled): the backend creates the consumer's namespace, ServiceAccount and RBAC, and writes a
 * BindingResourceResponse (JSON holding the kubeconfig) into the named Secret beside this request. It creates
 * no APIServiceExportRequest and no binding: those are prerequisites p2c lists (see prerequisites.ts).
 */
function bindableRequest(mesh: ResolvedMesh, b: ResolvedKubeBindBinding, namespace: string): KubeObject {
  const name = bindableRequestName(b);
  return {
    apiVersion: 'kube-bind.io/v1alpha2', kind: 'BindableResourcesRequest',
    metadata: { name, namespace, labels: standardLabels(mesh.name) },
    // No templateRef: kube-bind v0.8.2 only checks that the template exists and, when it does not yet (the backend
    // generates kcp-mode templates after it starts; an informer may lag an apply), fails the request for good
    // (bindableresourcesrequest_controller.go: TemplateNotFound, "Don't retry"). The live suite lost that race.
    spec: {
      clusterIdentity: { identity: b.cluster, prettyName: b.cluster },
      author: 'p2c',
      kubeconfigSecretRef: { name: responseSecretName(b), key: responseSecretKey },
    },
  };
}

export function bindableRequestName(b: ResolvedKubeBindBinding): string {
  return `${b.cluster}.${b.name}`;
}
/** Upstream's default name and key for the response Secret, spelled out so prerequisites can name them. */
export const responseSecretKey = 'binding-response';
export function responseSecretName(b: ResolvedKubeBindBinding): string {
  return `${bindableRequestName(b)}-binding-response`;
}

/**
 * The template an offer is bound from. In kcp mode the backend generates one per bound APIBinding and resource
 * scope, `<binding>-cluster` for cluster-scoped kinds and `<binding>-namespaced` for namespaced ones (the schema's
 * scope, not the informer scope: kube-bind v0.8.2 backend/provider/kcp/controllers/apibindingtemplate/reconcile.go),
 * and copies schemas only for templates carrying its owner-binding annotation (apiresourceschema/reconcile.go); a
 * template of p2c's own would get no schema. So p2c writes none there.
 */
export function templateName(o: ResolvedOffer): string {
  if (o.api.type === 'binding') {
    const clusterScoped = o.resources.length > 0 && o.resources.every((r) => r.scope === 'Cluster');
    return `${o.api.binding}-${clusterScoped ? 'cluster' : 'namespaced'}`;
  }
  return o.name;
}

/**
 * The namespace the backend gives a consumer: `--namespace-prefix` and the lower-cased base36 of the first
 * 8 bytes of sha224(cluster identity) (kube-bind v0.8.1 backend/kubernetes/resources/namespace.go).
 */
export function consumerNamespace(identity: string, prefix = namespacePrefix): string {
  const digest = createHash('sha224').update(identity).digest().subarray(0, 8);
  let n = 0n;
  for (const byte of digest) n = (n << 8n) | BigInt(byte);
  let digits = n === 0n ? '' : n.toString(36);
  for (const byte of digest) { if (byte !== 0) break; digits = '0' + digits; }
  return `${prefix}${digits.toLowerCase()}`;
}
export const namespacePrefix = 'kube-bind-';

/**
 * What the consumer asks the backend to export (kube-bind v0.8.1: created by `kubectl bind` on the provider,
 * in the consumer's namespace; the backend deletes it after ten minutes, serviceexportrequest_reconcile.go).
 * A one-shot object: p2c writes it as a prerequisite file, never into a GitOps folder, or GitOps would
 * re-create it forever.
 */
export function exportRequest(mesh: ResolvedMesh, o: ResolvedOffer, b: ResolvedKubeBindBinding): KubeObject {
  return {
    apiVersion: 'kube-bind.io/v1alpha2', kind: 'APIServiceExportRequest',
    metadata: { name: b.name, namespace: consumerNamespace(b.cluster), labels: standardLabels(mesh.name) },
    spec: {
      resources: o.resources.map((r) => ({ group: r.group, resource: r.plural, versions: [...r.versions] })),
      ...(o.claims.length ? { permissionClaims: claimsOf(o) } : {}),
    },
  };
}

function claimsOf(o: ResolvedOffer) {
  return o.claims.map((c) => ({
    group: c.group,
    resource: c.resource,
    selector: { references: o.resources.map((r) => ({ group: r.group, resource: r.plural, versions: [...r.versions], jsonPath: { name: c.reference } })) },
  }));
}

/**
 * The konnector as kube-bind v0.8.1 deploys it (cli/pkg/kubectl/bind-apiservice/plugin/deploy_konnector.go:
 * namespace kube-bind, two replicas electing a lease in their own namespace, /healthz on 8090), with the
 * '*' ClusterRole upstream gives it replaced by what it touches (pkg/konnector). Its APIServiceBindings go to
 * a later stage folder: the konnector creates their CRD when it starts (resolve/stages.ts).
 */
function konnector(mesh: ResolvedMesh, bindings: readonly ResolvedKubeBindBinding[]): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const ns = 'kube-bind';
  const subjects = [{ kind: 'ServiceAccount', name: 'konnector', namespace: ns }];
  const bound: Array<[string, string]> = [];
  const claimed: Array<[string, string]> = [];
  // deploy/crd/bootstrap.go: at start it gets, then creates or updates, its own two CRDs.
  const crdNames = new Set<string>(['apiservicebindingbundles.kube-bind.io', 'apiservicebindings.kube-bind.io']);
  for (const b of bindings) {
    for (const r of b.target?.resources ?? []) {
      bound.push([r.group, r.plural], [r.group, `${r.plural}/status`]);
      crdNames.add(`${r.plural}.${r.group}`);
    }
    for (const c of b.target?.claims ?? []) claimed.push([c.group, c.resource]);
  }
  const rules: Rule[] = [
    // Create cannot be limited by name; update only for its own CRDs and those of the bound APIs
    // (servicebinding_reconcile.go ensureCRDsFromBoundSchema), which carry an owner reference to their binding.
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch', 'create'] },
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], resourceNames: [...crdNames].sort(), verbs: ['update', 'patch', 'delete'] },
    { apiGroups: ['kube-bind.io'], resources: ['apiservicebindingbundles', 'apiservicebindingbundles/status', 'apiservicebindings', 'apiservicebindings/finalizers', 'apiservicebindings/status'], verbs: readWrite },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create'] },
    // It watches every Secret (an unscoped informer) to find kubeconfigs; claimed objects it syncs both ways
    // in any consumer namespace, creating and deleting them with their instances.
    ...(claimed.some(([g, r]) => g === '' && r === 'secrets') ? [] : [{ apiGroups: [''], resources: ['secrets'], verbs: readOnly }]),
    ...resourceRules([...bound, ...claimed], readWrite),
  ];
  const selector = { 'app.kubernetes.io/name': 'konnector' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'konnector', namespace: ns, labels } },
    ...roleWithBinding('p2c:kube-bind-konnector', labels, rules, subjects, undefined, securityException('rbac-escalation', 'kube-bind v0.8.1 konnector watches every Secret (an unscoped informer) to find kubeconfigs and syncs claimed Secrets in any consumer namespace')),
    ...roleWithBinding('p2c:kube-bind-konnector', labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      // clusterbinding_reconcile.go ensureConsumerSecret rewrites the provider kubeconfig Secret here.
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
    ], subjects, ns),
    deployment({
      meshName: mesh.name, name: 'konnector', namespace: ns, selector, replicas: 2, serviceAccount: 'konnector',
      container: {
        name: 'konnector', image: bindings[0]!.konnectorImage,
        // --lease-namespace defaults to POD_NAMESPACE (pkg/konnector/options/options.go).
        env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
        ports: [{ name: 'healthz', containerPort: 8090 }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'healthz' } },
      },
    }),
    // The konnector connects a binding to the APIServiceExport of the same name (getServiceExport(binding.Name)).
    ...bindings.map((b): KubeObject => ({
      apiVersion: 'kube-bind.io/v1alpha2',
      kind: b.bundle ? 'APIServiceBindingBundle' : 'APIServiceBinding',
      metadata: { name: b.name, labels },
      spec: { kubeconfigSecretRef: { name: b.kubeconfigSecret, namespace: ns, key: 'kubeconfig' } },
    })),
  ];
}

/**
 * The backend offers only CRDs labelled kube-bind.io/exported=true: it lists its schema source with that label
 * (kube-bind v0.8.1 backend/controllers/serviceexportrequest/serviceexportrequest_reconcile.go getExportedSchemas)
 * and fails an export request for any other ("Schema not found").
 */
export const exportedLabel = 'kube-bind.io/exported';
function exportedCrd(mesh: ResolvedMesh, crd: KubeObject): KubeObject {
  const o = crdObject(mesh.name, crd);
  return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, [exportedLabel]: 'true' } } };
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
    // The chart's CRDs, which p2c installs in its place (kcp mode: the kube-bind.io APIExport serves them).
    if (b.source.type === 'cluster') for (const name of installableCrds.kubeBindBackend) add(here, crdObject(mesh.name, loadInstallableCrd(name) as KubeObject));
    if (offers.length) {
      const templates = [...new Set(offers.map(templateName))].sort().map((name) => ({ name }));
      add(catalog, { apiVersion: 'kube-bind.io/v1alpha2', kind: 'Collection', metadata: { name: b.cluster, labels: standardLabels(mesh.name) }, spec: { description: `APIs offered by ${b.prettyName}`, templates } });
    }
    for (const o of offers) {
      if (o.resources.length === 0) continue; // unresolved: a check reports it
      if (o.api.type === 'crd' && o.api.installCrd) for (const r of o.resources) out.push({ target: here, object: exportedCrd(mesh, r.crd), origin: o.origin });
      if (o.api.type === 'crd') out.push({ target: catalog, object: template(mesh, o), origin: o.origin });
      for (const kb of bindingsOf.get(o.key) ?? []) out.push({ target: catalog, object: bindableRequest(mesh, kb, b.namespace), origin: kb.origin });
    }
  }
  for (const [cluster, list] of sortedBy(groupBy(mesh.kubeBindBindings, (kb) => kb.cluster), ([cluster]) => cluster)) {
    for (const object of konnector(mesh, list)) out.push({ target: clusterTarget(cluster), object, origin: list[0]!.origin });
  }
  return out;
}
