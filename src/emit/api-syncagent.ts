import type { KubeObject } from '../model/mesh.js';
import type { ResolvedExport, ResolvedMesh } from '../resolve/resolve.js';
import type { SyncAgentModel } from '../model/mesh.js';
import { clusterTarget, standardLabels, type Manifest } from './manifest.js';
import { crdObject } from './crd.js';
import { deployment, kubeconfigVolume } from './workload.js';
import { readWrite, resourceRules, roleWithBinding, type Rule } from './rbac.js';

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
  const owned: Array<[string, string]> = [];
  for (const r of e.resources) {
    owned.push([r.group, r.plural]);
    if (r.hasStatus) owned.push([r.group, `${r.plural}/status`]);
  }
  for (const rel of a.related) owned.push([rel.group, rel.resource]);
  const clusterRules: Rule[] = [
    { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['syncagent.kcp.io'], resources: ['publishedresources'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['syncagent.kcp.io'], resources: ['publishedresources/status'], verbs: ['get', 'update', 'patch'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch', 'create'] },
    ...resourceRules(owned, readWrite),
  ];
  const subjects = [{ kind: 'ServiceAccount', name: a.agentName, namespace: a.agentNamespace }];
  return [
    ...roleWithBinding(name, labels, clusterRules, subjects),
    ...roleWithBinding(name, labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch', 'update'] },
    ], subjects, a.agentNamespace),
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
    add(agentDeployment(mesh, e, a));
  }
  return out;
}
