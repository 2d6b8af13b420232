import type { KubeObject } from '../model/mesh.js';
import type { ResolvedExport, ResolvedMesh } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, type Manifest } from './manifest.js';

/** Label that ties PublishedResources to the one agent that serves their APIExport. */
export const agentLabel = 'p2c.dev/api-syncagent';

const kubeconfigMount = '/etc/kcp';

function crdObject(mesh: ResolvedMesh, crd: KubeObject): KubeObject {
  const { status: _status, ...rest } = crd as KubeObject & { status?: unknown };
  return { ...rest, metadata: { ...rest.metadata, labels: { ...(rest.metadata.labels ?? {}), ...standardLabels(mesh.name) } } };
}

function publishedResource(mesh: ResolvedMesh, e: ResolvedExport, r: ResolvedExport['resources'][number]): KubeObject {
  return {
    apiVersion: 'syncagent.kcp.io/v1alpha1',
    kind: 'PublishedResource',
    metadata: { name: `${r.plural}.${r.group}`, labels: standardLabels(mesh.name, { [agentLabel]: e.agentName }) },
    spec: {
      resource: { apiGroup: r.group, kind: r.kind, versions: [...r.versions] },
      ...(e.enableWorkspacePaths ? { enableWorkspacePaths: true } : {}),
      ...(e.related.length > 0
        ? {
            related: e.related.map((rel) => ({
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
function agentRbac(mesh: ResolvedMesh, e: ResolvedExport): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const name = `p2c:api-syncagent:${e.agentName}`;
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
  for (const rel of e.related) addResource(rel.group, rel.resource);
  for (const group of [...byGroup.keys()].sort()) clusterRules.push({ apiGroups: [group], resources: [...byGroup.get(group)!].sort(), verbs: rw });
  const subjects = [{ kind: 'ServiceAccount', name: e.agentName, namespace: e.agentNamespace }];
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules: clusterRules },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name }, subjects },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: e.agentNamespace, labels },
      rules: [
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: rw },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: e.agentNamespace, labels }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects },
  ];
}

function deployment(mesh: ResolvedMesh, e: ResolvedExport): KubeObject {
  const selector = { 'app.kubernetes.io/name': 'api-syncagent', 'app.kubernetes.io/instance': e.agentName };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: e.agentName, namespace: e.agentNamespace, labels: standardLabels(mesh.name, selector) },
    spec: {
      replicas: 2,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          serviceAccountName: e.agentName,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'api-syncagent',
            image: e.agentImage,
            args: [
              `--agent-name=${e.agentName}`,
              `--apiexportendpointslice-ref=${e.name}`,
              `--namespace=${e.agentNamespace}`,
              `--kcp-kubeconfig=${kubeconfigMount}/kubeconfig`,
              `--published-resource-selector=${agentLabel}=${e.agentName}`,
              '--enable-leader-election',
            ],
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'kcp-kubeconfig', mountPath: kubeconfigMount, readOnly: true }],
          }],
          // The kubeconfig Secret is referenced, never written: it holds credentials.
          volumes: [{ name: 'kcp-kubeconfig', secret: { secretName: e.kcpKubeconfigSecret, items: [{ key: 'kubeconfig', path: 'kubeconfig' }] } }],
        },
      },
    },
  };
}

/** api-syncagent in each provider cluster: the CRD, PublishedResources, the agent and its RBAC. */
export function emitApiSyncAgent(mesh: ResolvedMesh): Manifest[] {
  const out: Manifest[] = [];
  for (const e of mesh.exports) {
    const target = clusterTarget(e.cluster);
    const add = (object: KubeObject) => out.push({ target, object, origin: e.origin });
    add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: e.agentNamespace, labels: standardLabels(mesh.name) } });
    for (const r of e.resources) {
      if (e.installCrd) add(crdObject(mesh, r.crd));
      add(publishedResource(mesh, e, r));
    }
    agentRbac(mesh, e).forEach(add);
    add({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: e.agentName, namespace: e.agentNamespace, labels: standardLabels(mesh.name) } });
    add(deployment(mesh, e));
  }
  return out;
}
