import type { KubeObject } from '../model/mesh.js';
import type { ResolvedExport, ResolvedMesh } from '../resolve/resolve.js';
import type { SyncAgentModel } from '../model/mesh.js';
import { clusterTarget, standardLabels, workspaceTarget, type Manifest } from './manifest.js';
import { loadInstallableCrd } from '../crd-import/installable.js';
import { crdObject } from './crd.js';
import { deployment, kubeconfigVolume } from './workload.js';
import { rbacSubject, readWrite, resourceRules, roleWithBinding, type Rule } from './rbac.js';
import { sortedBy } from '../model/collections.js';
import { securityException } from '../validate/security.js';
import { publishOptionsOf } from '../model/projection.js';

/** Label that ties PublishedResources to the one agent that serves their APIExport. */
export const agentLabel = 'p2c.dev/api-syncagent';

const kubeconfigMount = '/etc/kcp';


/** The relations one CRD's PublishedResource carries: those of its kind, and those of every kind. */
const relatedOf = (a: SyncAgentModel, kind: string) => a.related.filter((rel) => rel.kind === undefined || rel.kind === kind);

function publishedResource(mesh: ResolvedMesh, a: SyncAgentModel, r: SyncAgentModel['sources'][number]): KubeObject {
  const options = publishOptionsOf(a, r.kind);
  const related = relatedOf(a, r.kind);
  return {
    apiVersion: 'syncagent.kcp.io/v1alpha1',
    kind: 'PublishedResource',
    metadata: { name: options?.name ?? `${r.plural}.${r.group}`, labels: standardLabels(mesh.name, { [agentLabel]: a.agentName }) },
    spec: {
      resource: { apiGroup: r.group, kind: r.kind, versions: [...r.versions] },
      ...(options?.projection ? { projection: options.projection } : {}),
      ...(options?.filter ? { filter: options.filter } : {}),
      ...(options?.mutation ? { mutation: options.mutation } : {}),
      ...(a.enableWorkspacePaths ? { enableWorkspacePaths: true } : {}),
      ...(a.naming ? { naming: { ...a.naming } } : {}),
      ...(related.length > 0
        ? {
            related: sortedBy(related, (rel) => rel.identifier).map((rel) => ({
              identifier: rel.identifier,
              origin: rel.origin,
              group: rel.group,
              version: rel.version,
              resource: rel.resource,
              ...(rel.identityHash ? { identityHash: rel.identityHash } : {}),
              object: rel.reference !== undefined ? { reference: { path: rel.reference } } : { template: { template: rel.template ?? '{{ .Object.metadata.name }}' } },
            })),
          }
        : {}),
    },
  };
}

/**
 * The agent's RBAC in its cluster, as the api-syncagent chart grants it (kcp-dev/helm-charts
 * charts/api-syncagent, templates/rbac.yaml, appVersion v0.7.0), plus full access to exactly the
 * published kinds, which the chart leaves to the user.
 */
function agentRbac(mesh: ResolvedMesh, e: ResolvedExport, a: SyncAgentModel): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const name = `p2c:api-syncagent:${a.agentName}`;
  const published: Array<[string, string]> = [];
  for (const r of a.sources) {
    published.push([r.group, r.plural]);
    if (r.hasStatus) published.push([r.group, `${r.plural}/status`]);
  }
  // Related objects the agent copies across; it never deletes them (the chart grants no delete on Secrets).
  const related: Array<[string, string]> = a.related.filter((r) => !(r.group === '' && r.resource === 'secrets')).map((r) => [r.group, r.resource]);
  const clusterRules: Rule[] = [
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['syncagent.kcp.io'], resources: ['publishedresources'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['syncagent.kcp.io'], resources: ['publishedresources/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create'] },
    // Cluster-wide, even with no related Secret: the agent keeps object state in Secrets of its namespace but
    // reads them with the manager's cached client, whose cache watches every Secret in the cluster.
    { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
    ...resourceRules(published, readWrite),
    ...resourceRules(related, ['get', 'list', 'watch', 'create', 'update']),
  ];
  const subjects = [{ kind: 'ServiceAccount', name: a.agentName, namespace: a.agentNamespace }];
  return [
    ...roleWithBinding(name, labels, clusterRules, subjects, undefined, securityException('rbac-escalation', 'api-syncagent v0.7.0 reads Secrets through its manager cache, which watches every Secret of the cluster')),
    ...roleWithBinding(name, labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ], subjects, a.agentNamespace),
    // PublishedResources are cluster-scoped, so events about them are recorded in namespace `default`.
    ...roleWithBinding(`${name}:events`, labels, [
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
    ], subjects, 'default'),
  ];
}

/**
 * The agent's RBAC in the provider workspace, from api-syncagent v0.7.0 docs/content/getting-started.md
 * ("kcp RBAC"): scoped by resourceNames to its own APIExport (kcp v0.32 creates the endpoint slice with the
 * export's name, which the agent lists unscoped, below), plus kcp's workspace access role, without which no
 * request reaches the workspace.
 */
function agentWorkspaceRbac(mesh: ResolvedMesh, e: ResolvedExport, a: SyncAgentModel): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const name = `p2c:api-syncagent:${a.agentName}`;
  const subject = rbacSubject(a.kcpSubject);
  const rules: Rule[] = [
    { apiGroups: ['core.kcp.io'], resources: ['logicalclusters'], resourceNames: ['cluster'], verbs: ['get'] },
    // Read by name, but through a cache that lists every slice in the workspace: with the slice beside its export,
    // the agent reuses the export's cache, whose only field selector is the APIExport's name (api-syncagent v0.7.0
    // cmd/api-syncagent/main.go endpointSliceCluster, kcp.go setupManagedKcpCluster; the ResourceProber's cached Get,
    // internal/discovery/resource_prober.go). Scoped by name, the list is refused and no sync starts (live suite).
    { apiGroups: ['apis.kcp.io'], resources: ['apiexportendpointslices'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: [e.name], verbs: ['get', 'list', 'watch', 'patch', 'update'] },
    { apiGroups: ['apis.kcp.io'], resources: ['apiresourceschemas'], verbs: ['get', 'list', 'watch', 'create'] },
    { apiGroups: [''], resources: ['events'], verbs: ['get', 'create', 'patch', 'update'] },
    // Upstream grants '*' here; these are the verbs the agent uses on bound objects through the virtual workspace.
    { apiGroups: ['apis.kcp.io'], resources: ['apiexports/content'], resourceNames: [e.name], verbs: readWrite },
  ];
  return [
    ...(a.kcpSubject.kind === 'ServiceAccount'
      ? [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: a.kcpSubject.name, namespace: a.kcpSubject.namespace ?? 'default', labels } }]
      : []),
    ...roleWithBinding(name, labels, rules, [subject]),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
      metadata: { name: `${name}:access`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:kcp:workspace:access' },
      subjects: [subject],
    },
  ];
}

function agentDeployment(mesh: ResolvedMesh, e: ResolvedExport, a: SyncAgentModel): KubeObject {
  // The kubeconfig Secret is referenced, never written: it holds credentials.
  const kcp = kubeconfigVolume('kcp-kubeconfig', a.kcpKubeconfigSecret, kubeconfigMount);
  return deployment({
    meshName: mesh.name, name: a.agentName, namespace: a.agentNamespace, replicas: 2, serviceAccount: a.agentName,
    selector: { 'app.kubernetes.io/name': 'api-syncagent', 'app.kubernetes.io/instance': a.agentName },
    container: {
      name: 'api-syncagent',
      image: a.agentImage,
      args: [
        `--agent-name=${a.agentName}`,
        `--apiexportendpointslice-ref=${e.name}`,
        `--namespace=${a.agentNamespace}`,
        `--kcp-kubeconfig=${kubeconfigMount}/kubeconfig`,
        `--published-resource-selector=${agentLabel}=${a.agentName}`,
        '--enable-leader-election',
      ],
      volumeMounts: [kcp.mount],
    },
    volumes: [kcp.volume],
  });
}

/**
 * api-syncagent for each provided API: in the provider cluster the PublishedResource CRD (the chart's, which
 * p2c replaces), the service CRD, PublishedResources, the agent and its RBAC; in the workspace the agent's
 * kcp identity and RBAC.
 */
export function emitApiSyncAgent(mesh: ResolvedMesh): Manifest[] {
  const out: Manifest[] = [];
  for (const e of mesh.exports) {
    const a = e.syncAgent;
    if (!a) continue;
    const target = clusterTarget(a.cluster);
    const add = (object: KubeObject) => out.push({ target, object, origin: e.origin });
    if (e.workspacePath) for (const object of agentWorkspaceRbac(mesh, e, a)) out.push({ target: workspaceTarget(e.workspacePath), object, origin: e.origin });
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: a.agentNamespace, labels: standardLabels(mesh.name) } });
    add(crdObject(mesh.name, loadInstallableCrd('publishedresources.syncagent.kcp.io') as KubeObject));
    for (const r of a.sources) {
      if (a.installCrd) add(crdObject(mesh.name, r.crd));
      add(publishedResource(mesh, a, r));
    }
    agentRbac(mesh, e, a).forEach(add);
    add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: a.agentName, namespace: a.agentNamespace, labels: standardLabels(mesh.name) } });
    add(agentDeployment(mesh, e, a));
  }
  return out;
}
