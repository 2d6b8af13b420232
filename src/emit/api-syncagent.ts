import type { KubeObject } from '../model/mesh.js';
import type { ResolvedExport, ResolvedMesh } from '../resolve/resolve.js';
import type { SyncAgentModel } from '../model/mesh.js';
import { clusterTarget, standardLabels, type Manifest } from './manifest.js';
import { crdObject } from './crd.js';

/** Label that ties PublishedResources to the one agent that serves their APIExport. */
export const agentLabel = 'p2c.dev/api-syncagent';

const kubeconfigMount = '/etc/kcp';


function publishedResource(mesh: ResolvedMesh, a: SyncAgentModel, r: ResolvedExport['resources'][number]): KubeObject {
  return {
    apiVersion: 'syncagent.kcp.io/v1alpha1',
    kind: 'PublishedResource',
    metadata: { name: `${r.plural}.${r.group}`, labels: standardLabels(mesh.name, { [agentLabel]: a.agentName }) },
    spec: {
      resource: { apiGroup: r.group, kind: r.kind, versions: [...r.versions] },
      ...(a.enableWorkspacePaths ? { enableWorkspacePaths: true } : {}),
      ...(a.related.length > 0
        ? {
            related: a.related.map((rel) => ({
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
 * Least privilege for the agent: read CRDs and its PublishedResources, full access only to
 * the published kinds and their related resources; leases, state Secrets and events stay
 * in its own namespace.
 */
function agentRbac(mesh: ResolvedMesh, e: ResolvedExport, a: SyncAgentModel): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const name = `p2c:api-syncagent:${a.agentName}`;
  const rw = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
  const clusterRules: object[] = [
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['syncagent.kcp.io'], resources: ['publishedresources'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['syncagent.kcp.io'], resources: ['publishedresources/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create'] },
  ];
  const byGroup = new Map<string, Set<string>>();
  const addResource = (group: string, resource: string) => (byGroup.get(group) ?? byGroup.set(group, new Set()).get(group)!).add(resource);
  for (const r of e.resources) {
    addResource(r.group, r.plural);
    if (r.hasStatus) addResource(r.group, `${r.plural}/status`);
  }
  for (const rel of a.related) addResource(rel.group, rel.resource);
  for (const group of [...byGroup.keys()].sort()) clusterRules.push({ apiGroups: [group], resources: [...byGroup.get(group)!].sort(), verbs: rw });
  const subjects = [{ kind: 'ServiceAccount', name: a.agentName, namespace: a.agentNamespace }];
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules: clusterRules },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: a.agentNamespace, labels },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: rw },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: a.agentNamespace, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects },
  ];
}

function deployment(mesh: ResolvedMesh, e: ResolvedExport, a: SyncAgentModel): KubeObject {
  const selector = { 'app.kubernetes.io/name': 'api-syncagent', 'app.kubernetes.io/instance': a.agentName };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: a.agentName, namespace: a.agentNamespace, labels: standardLabels(mesh.name, selector) },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          serviceAccountName: a.agentName,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
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
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'kcp-kubeconfig', mountPath: kubeconfigMount, readOnly: true }],
          }],
          // The kubeconfig Secret is referenced, never written: it holds credentials.
          volumes: [{ name: 'kcp-kubeconfig', secret: { secretName: a.kcpKubeconfigSecret, items: [{ key: 'kubeconfig', path: 'kubeconfig' }] } }],
        },
      },
    },
  };
}

/** api-syncagent in each provider cluster: the CRD, PublishedResources, the agent and its RBAC. */
export function emitApiSyncAgent(mesh: ResolvedMesh): Manifest[] {
  const out: Manifest[] = [];
  for (const e of mesh.exports) {
    const a = e.syncAgent;
    if (!a) continue;
    const target = clusterTarget(a.cluster);
    const add = (object: KubeObject) => out.push({ target, object, origin: e.origin });
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: a.agentNamespace, labels: standardLabels(mesh.name) } });
    for (const r of e.resources) {
      if (a.installCrd) add(crdObject(mesh.name, r.crd));
      add(publishedResource(mesh, a, r));
    }
    agentRbac(mesh, e, a).forEach(add);
    add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: a.agentName, namespace: a.agentNamespace, labels: standardLabels(mesh.name) } });
    add(deployment(mesh, e, a));
  }
  return out;
}
