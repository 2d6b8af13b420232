import type { KubeObject, OperatorModel } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { clusterTarget, standardLabels, workspaceTarget, type Manifest } from './manifest.js';
import { rbacSubject, readOnly, readWrite, roleWithBinding } from './rbac.js';
import { deployment, kubeconfigVolume } from './workload.js';
import { append } from '../model/collections.js';

/**
 * A multicluster-runtime operator: its identity and RBAC in the provider workspace (reading
 * its export's endpoint slice, working through the export's virtual workspace), and its
 * Deployment in the compute cluster with both kubeconfigs referenced by Secret name.
 */
function workspaceObjects(mesh: ResolvedMesh, op: OperatorModel): KubeObject[] {
  // With a ManagedProvider and no subject named, the Provider's kubeconfig is the workspace's admin: nothing to grant.
  if (!op.kcpSubject) return [];
  const labels = standardLabels(mesh.name);
  const subjects = [rbacSubject(op.kcpSubject)];
  return [
    ...(op.createsKcpSubject ? [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: op.name, namespace: 'default', labels } }] : []),
    ...roleWithBinding(`p2c:operator:${op.name}`, labels, [
      { apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: [op.exportName], verbs: readOnly },
      // Explicit verbs rather than "*": the virtual workspace authorizes each verb on apiexports/content.
      { apiGroups: ['apis.kcp.io'], resources: ['apiexports/content'], resourceNames: [op.exportName], verbs: readWrite },
      { apiGroups: ['apis.kcp.io'], resources: ['apiexportendpointslices'], resourceNames: [op.exportName], verbs: readOnly },
    ], subjects),
    ...(op.leaderElection && op.deployedBy === 'p2c' ? leaseObjects(mesh, op, subjects) : []),
  ];
}

/**
 * controller-runtime elects with the manager's own config unless told otherwise (sigs.k8s.io/controller-runtime
 * v0.24 pkg/manager/manager.go: LeaderElectionConfig defaults to the manager's), and a manager built like
 * multicluster-provider v0.8.0 examples/apiexport/main.go runs on the kcp kubeconfig. So the lease, and the
 * election's events, go to the team workspace, in the pod's namespace name (read from the mounted token).
 */
function leaseObjects(mesh: ResolvedMesh, op: OperatorModel, subjects: ReturnType<typeof rbacSubject>[]): KubeObject[] {
  const labels = standardLabels(mesh.name);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: op.namespace, labels } },
    ...roleWithBinding(`p2c:operator:${op.name}:leader-election`, labels, [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: readWrite },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    ], subjects, op.namespace),
  ];
}

function clusterObjects(mesh: ResolvedMesh, op: OperatorModel): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const selector = { 'app.kubernetes.io/name': op.name };
  const kcp = kubeconfigVolume('kcp-kubeconfig', op.kcpKubeconfigSecret, '/etc/kcp');
  const compute = kubeconfigVolume('compute-kubeconfig', op.computeKubeconfigSecret, '/etc/compute');
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: op.namespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: op.name, namespace: op.namespace, labels } },
    // No lease Role here: the manager elects in kcp, where its kubeconfig points (see leaseObjects).
    deployment({
      meshName: mesh.name, name: op.name, namespace: op.namespace, selector, replicas: op.leaderElection ? 2 : 1, serviceAccount: op.name,
      container: {
        name: 'operator', image: op.image,
        args: [`--endpointslice=${op.exportName}`, '--provider-kubeconfig=/etc/compute/kubeconfig', ...(op.leaderElection ? ['--leader-elect'] : [])],
        env: [{ name: 'KUBECONFIG', value: '/etc/kcp/kubeconfig' }],
        ports: [{ name: 'metrics', containerPort: 9080 }, { name: 'health', containerPort: 8080 }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'health' } },
        readinessProbe: { httpGet: { path: '/readyz', port: 'health' } },
        volumeMounts: [kcp.mount, compute.mount],
      },
      volumes: [kcp.volume, compute.volume],
    }),
  ];
}

/** What the operator may do where it deploys workloads, for the identity of its compute kubeconfig. */
function workloadObjects(mesh: ResolvedMesh, op: OperatorModel): KubeObject[] {
  const labels = standardLabels(mesh.name);
  const out: KubeObject[] = [];
  if (op.deploysInto !== op.cluster) {
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: op.namespace, labels } });
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: op.name, namespace: op.namespace, labels } });
  }
  const rules = op.workloadRules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
  const subjects = [{ kind: 'ServiceAccount', name: op.name, namespace: op.namespace }];
  // Namespaced unless the mesh says 'all': the workloads it deploys need no reach beyond their namespaces.
  if (op.workloadNamespaces === 'all') append(out, roleWithBinding(`p2c:operator:${op.name}:workloads`, labels, rules, subjects));
  else for (const ns of op.workloadNamespaces) append(out, roleWithBinding(`p2c:operator:${op.name}:workloads`, labels, rules, subjects, ns));
  return out;
}

/**
 * The ManagedProvider as platform-mesh-operator reads it (api/providers/v1alpha1/managedprovider_types.go): each chart
 * a `flux` runtime deployment. cleanupOnDelete is written out, false unless the mesh asks: deleting the object then
 * leaves the provider workspace in kcp.
 */
function managedProvider(mesh: ResolvedMesh, op: OperatorModel): KubeObject {
  const mp = op.managedProvider!;
  return {
    apiVersion: 'providers.platform-mesh.io/v1alpha1',
    kind: 'ManagedProvider',
    metadata: { name: mp.name, namespace: mp.namespace, labels: standardLabels(mesh.name) },
    spec: {
      platformMeshRef: { name: mp.platformMesh },
      ...(mp.provider ? { provider: { ...mp.provider } } : {}),
      cleanupOnDelete: mp.cleanupOnDelete,
      ...(mp.runtimeKubeconfigSecret ? { runtimeKubeconfigSecretName: mp.runtimeKubeconfigSecret } : {}),
      ...(mp.providerHostOverride ? { providerHostOverride: mp.providerHostOverride } : {}),
      runtimeDeployments: mp.charts.map((c) => ({ flux: { ...(c.type ? { type: c.type } : {}), registry: c.registry, chart: c.chart, version: c.version, ...(c.values ? { values: c.values } : {}) } })),
    },
  };
}

export function emitOperators(mesh: ResolvedMesh): Manifest[] {
  const out: Manifest[] = [];
  for (const op of mesh.operators) {
    if (op.workspacePath) for (const object of workspaceObjects(mesh, op)) out.push({ target: workspaceTarget(op.workspacePath), object, origin: op.origin });
    if (op.managedProvider) out.push({ target: clusterTarget(op.managedProvider.cluster), object: managedProvider(mesh, op), origin: op.origin });
    if (op.deployedBy !== 'p2c') continue;
    for (const object of clusterObjects(mesh, op)) out.push({ target: clusterTarget(op.cluster), object, origin: op.origin });
    for (const object of workloadObjects(mesh, op)) out.push({ target: clusterTarget(op.deploysInto), object, origin: op.origin });
  }
  return out;
}
