import type { KubeObject, Target } from '../model/mesh.js';
import { bootstrapSteps } from './bootstrap.js';
import { parentPath } from '../model/target.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { sortedBy as by, append } from '../model/collections.js';
import { exportRequest, exportedLabel, responseSecretKey, responseSecretName, templateName } from './kube-bind.js';

/** In a command a person runs, an undeclared front-proxy URL is a blank to fill in, not a guess. */
const frontProxy = (mesh: ResolvedMesh) => mesh.frontProxyUrl ?? '<kcp front-proxy URL>';

/**
 * A step p2c cannot declare for GitOps: upstream only performs it imperatively (`kubectl bind`), it needs a
 * value known only at runtime (a token, an issued kubeconfig), or it is a one-shot object the controller
 * deletes. MESH.md and `p2c validate` list them, numbered, with the exact command.
 */
export interface Prerequisite {
  readonly title: string;
  /** Why upstream needs it, naming the source. */
  readonly why: string;
  readonly command: string;
  /** A one-shot manifest p2c writes under prerequisites/ for the command to apply. */
  readonly file?: { readonly path: string; readonly target: Target; readonly objects: readonly KubeObject[] };
}

export const prerequisitesFolder = 'prerequisites';

/** kubectl aimed at a cluster (a context named like it) or at a workspace through the front-proxy. */
function kubectl(mesh: ResolvedMesh, at: Target): string {
  if (at.type === 'workspace') return `kubectl --server=${frontProxy(mesh)}/clusters/${at.path}`;
  if (at.type === 'cluster') return `kubectl --context=${at.name}`;
  return 'kubectl';
}

function kubeconfigSecret(mesh: ResolvedMesh, cluster: string, namespace: string, secret: string, forWhom: string): string {
  return `${kubectl(mesh, { type: 'cluster', name: cluster })} -n ${namespace} create secret generic ${secret} --from-file=kubeconfig=<kubeconfig of ${forWhom}>`;
}

/** Workspaces declared external, and parents the mesh neither declares nor creates: they must exist before anything is applied. */
function externalParents(mesh: ResolvedMesh): Prerequisite[] {
  const declared = new Set(mesh.workspaces.filter((w) => !w.external).map((w) => w.path));
  const parents = new Set<string>(mesh.workspaces.filter((w) => w.external).map((w) => w.path));
  if (!mesh.createParents) for (const w of mesh.workspaces) for (let p = parentPath(w.path); p && p !== 'root'; p = parentPath(p)) if (!declared.has(p)) parents.add(p);
  return [...parents].sort().map((p) => ({
    title: `workspace ${p} exists`,
    why: 'p2c neither creates nor prunes workspaces someone else makes: parents the mesh does not declare (kcp.createParents: true would create them) and workspaces declared external; p2c writes into them',
    command: `${kubectl(mesh, { type: 'workspace', path: parentPath(p)! })} get workspaces.tenancy.kcp.io ${p.slice(p.lastIndexOf(':') + 1)}   # must exist and be Ready`,
  }));
}

/**
 * Accounts are served in a workspace by Platform Mesh's core.platform-mesh.io export, which the root `orgs`, `org` and
 * `account` WorkspaceTypes bind by default (research: account-operator config/resources); p2c does not bind it.
 */
function accountApi(mesh: ResolvedMesh): Prerequisite[] {
  const holders = [...new Set(mesh.workspaces.filter((w) => w.account && !w.external).map((w) => parentPath(w.path)!))].sort();
  if (holders.length === 0) return [];
  return [{
    title: `Platform Mesh serves Accounts in ${holders.join(', ')}`,
    why: "p2c writes Accounts there; their kind comes with Platform Mesh's core.platform-mesh.io export, which its WorkspaceTypes bind into every org and account",
    command: holders.map((p) => `${kubectl(mesh, { type: 'workspace', path: p })} api-resources --api-group=core.platform-mesh.io   # must list accounts`).join('\n'),
  }];
}

export function prerequisites(mesh: ResolvedMesh): Prerequisite[] {
  const steps: Prerequisite[] = [...externalParents(mesh), ...accountApi(mesh)];
  for (const e of by(mesh.exports, (x) => x.syncAgent?.agentName ?? '')) {
    const a = e.syncAgent;
    if (!a || !e.workspacePath) continue;
    const who = a.kcpSubject.kind === 'ServiceAccount' ? `ServiceAccount ${a.kcpSubject.namespace ?? 'default'}/${a.kcpSubject.name}` : `${a.kcpSubject.kind} ${a.kcpSubject.name}`;
    steps.push({
      title: `kcp kubeconfig for api-syncagent ${a.agentName} in cluster ${a.cluster}`,
      why: `the agent reaches ${e.workspacePath} with it (--kcp-kubeconfig); it holds a credential, so p2c never writes it`,
      command: kubeconfigSecret(mesh, a.cluster, a.agentNamespace, a.kcpKubeconfigSecret, `${who} at ${frontProxy(mesh)}/clusters/${e.workspacePath}`),
    });
  }
  for (const op of by(mesh.operators, (x) => `${x.cluster}/${x.name}`)) {
    if (!op.workspacePath) continue;
    const subject = op.kcpSubject ? `${op.kcpSubject.kind} ${op.kcpSubject.namespace ? `${op.kcpSubject.namespace}/` : ''}${op.kcpSubject.name}` : '';
    if (op.deployedBy === 'user') {
      steps.push({
        title: `operator ${op.name} is deployed by its team`,
        why: 'p2c writes only its workspace side (export, schemas, RBAC); the workload, its args and its kubeconfig are yours',
        command: `# run it against the endpoint slice ${op.exportName} with a kubeconfig for ${subject} at ${frontProxy(mesh)}/clusters/${op.workspacePath}`,
      });
      continue;
    }
    if (op.deployedBy === 'managedProvider') {
      const mp = op.managedProvider!;
      steps.push({
        title: `PlatformMesh ${mp.platformMesh} is Ready in cluster ${mp.cluster}`,
        why: `platform-mesh-operator onboards ManagedProvider ${mp.name} only then; it creates the Provider, its workspace and kubeconfig, and installs the charts with Flux`,
        command: `${kubectl(mesh, { type: 'cluster', name: mp.cluster })} get platformmeshes.core.platform-mesh.io ${mp.platformMesh} -n ${mp.namespace}   # must be Ready`,
      });
      continue;
    }
    steps.push({
      title: `kubeconfigs for operator ${op.name} in cluster ${op.cluster}`,
      why: 'the manager runs on the kcp kubeconfig and deploys workloads with the compute one; both hold credentials',
      command: [
        kubeconfigSecret(mesh, op.cluster, op.namespace, op.kcpKubeconfigSecret, `ServiceAccount default/${op.name} at ${frontProxy(mesh)}/clusters/${op.workspacePath}`),
        kubeconfigSecret(mesh, op.cluster, op.namespace, op.computeKubeconfigSecret, `ServiceAccount ${op.namespace}/${op.name} in cluster ${op.deploysInto}`),
      ].join('\n'),
    });
  }
  for (const b of by(mesh.kubeBindBackends, (x) => x.key)) {
    if (b.source.type !== 'kcp' || !b.source.workspacePath) continue;
    const ws: Target = { type: 'workspace', path: b.source.workspacePath };
    steps.push({
      title: `workspace ${b.source.workspacePath} binds the platform's kube-bind.io APIExport in ${b.source.platformWorkspace}`,
      why: 'in kcp mode the backend serves the workspaces bound to it (kube-bind v0.8.1 contrib/kcp); its claims are the platform\'s, instance-specific',
      command: `${kubectl(mesh, ws)} get apibindings.apis.kcp.io kube-bind.io   # must exist and be Bound`,
    });
    steps.push({
      title: `kcp kubeconfig for the kube-bind backend in cluster ${b.cluster}`,
      // kube-bind v0.8.2 backend/provider/kcp (multicluster-provider apiexport): the endpoint slice is read in the
      // kubeconfig's own workspace, so it points where the export is, not at root (the live suite runs it so).
      why: `the backend reads the ${b.source.endpointSlice} endpoint slice in ${b.source.platformWorkspace} with it and serves the workspaces bound to it`,
      command: kubeconfigSecret(mesh, b.cluster, b.namespace, b.source.kubeconfigSecret,
        `the kube-bind backend's identity at ${frontProxy(mesh)}/clusters/${b.source.platformWorkspace}`),
    });
  }
  for (const kb of by(mesh.kubeBindBindings, (x) => `${x.cluster}/${x.name}`)) {
    const o = kb.target;
    const backend = o?.backendModel;
    if (!o || !backend || o.resources.length === 0) continue;
    const provider: Target = backend.source.type === 'kcp' && backend.source.workspacePath ? { type: 'workspace', path: backend.source.workspacePath } : { type: 'cluster', name: backend.cluster };
    if (o.api.type === 'crd' && o.api.graph) {
      // kro v0.9.3 copies schema.metadata.labels onto the CRD only when it creates it or its versions change
      // (pkg/client/crd.go CRDWrapper.Ensure): a graph that existed before the offer keeps an unlabelled CRD.
      steps.push({
        title: `the ${o.name} CRD kro made in cluster ${backend.cluster} carries ${exportedLabel}=true`,
        why: `the backend offers only labelled CRDs (kube-bind v0.8.1 getExportedSchemas); kro labels a CRD it creates for graph ${o.api.graph.name}, but not one it made before the offer`,
        command: o.resources.map((r) => `${kubectl(mesh, provider)} label crd ${r.plural}.${r.group} ${exportedLabel}=true --overwrite   # harmless if already labelled`).join('\n'),
      });
    }
    if (o.api.type === 'crd' && !o.api.installCrd && !o.api.graph) {
      steps.push({
        title: `label the ${o.name} CRDs in cluster ${backend.cluster} for kube-bind`,
        why: `the backend offers only CRDs labelled ${exportedLabel}=true (kube-bind v0.8.1 serviceexportrequest_reconcile.go); p2c does not install these`,
        command: o.resources.map((r) => `${kubectl(mesh, provider)} label crd ${r.plural}.${r.group} ${exportedLabel}=true`).join('\n'),
      });
    }
    const file = `${prerequisitesFolder}/kube-bind-${kb.cluster}-${kb.name}.yaml`;
    steps.push({
      title: `hand cluster ${kb.cluster} the kubeconfig the kube-bind backend issued`,
      why: 'the backend writes a BindingResourceResponse (JSON holding the kubeconfig) beside the BindableResourcesRequest; `kubectl bind deploy` copies it by hand',
      command: `${kubectl(mesh, provider)} -n ${backend.namespace} get secret ${responseSecretName(kb)} -o jsonpath='{.data.${responseSecretKey}}' | base64 -d | jq -r .kubeconfig | base64 -d > ${kb.cluster}.kubeconfig\n` +
        `${kubectl(mesh, { type: 'cluster', name: kb.cluster })} -n kube-bind create secret generic ${kb.kubeconfigSecret} --from-file=kubeconfig=${kb.cluster}.kubeconfig`,
    });
    steps.push({
      title: `request the export of ${templateName(o)} for cluster ${kb.cluster}`,
      why: 'kube-bind v0.8.1 creates APIServiceExportRequests only from `kubectl bind`, and deletes each after ten minutes, so GitOps cannot own it; the APIServiceExport it yields is named like the binding',
      command: `${kubectl(mesh, provider)} apply -f ${file}`,
      file: { path: file, target: provider, objects: [exportRequest(mesh, o, kb)] },
    });
  }
  for (const g of by(mesh.kroGraphs, (x) => `${x.cluster}/${x.name}`)) {
    steps.push({
      title: `kro runs in cluster ${g.cluster}`,
      why: 'p2c writes ResourceGraphDefinitions (kro v0.9.3) but does not install kro',
      command: `${kubectl(mesh, { type: 'cluster', name: g.cluster })} get crd resourcegraphdefinitions.kro.run`,
    });
  }
  // One step per title: several graphs in one cluster need kro once.
  const seen = new Set<string>();
  const teams = new Map(mesh.teams.map((t) => [t.name, t] as const));
  for (const e of mesh.exports.filter((x) => x.external && (x.consumers.length || x.typeAppliers.length))) {
    const who = [...e.consumers.flatMap((b) => teams.get(b.team)?.subjects ?? []), ...e.typeAppliers].map((s) => `${s.kind} ${s.name}`);
    steps.push({
      title: `${[...new Set(who)].join(', ') || 'the consumers'} may bind the external APIExport ${e.name} in ${e.workspacePath}`,
      why: "kcp lets a workspace bind an export only with the 'bind' verb on it, granted in the export's workspace; p2c writes nothing in a workspace it does not own",
      command: `${kubectl(mesh, { type: 'workspace', path: e.workspacePath! })} auth can-i bind apiexports.apis.kcp.io/${e.name} --as-group=<group>   # for each subject above`,
    });
  }
  for (const e of mesh.exports) {
    for (const r of e.resources) {
      const secret = r.cached?.identitySecret;
      if (!secret || !e.workspacePath || e.external) continue;
      steps.push({
        title: `cache identity Secret ${secret.namespace}/${secret.name} in ${e.workspacePath}`,
        why: `the CachedResource ${r.cached!.name} takes its identity from the Secret's key; the export refers to the cache by the hash kcp derives from it (identityHash), and a key is a credential p2c never writes`,
        command: `${kubectl(mesh, { type: 'workspace', path: e.workspacePath })} -n ${secret.namespace} create secret generic ${secret.name} --from-literal=key=<random key>`,
      });
    }
  }
  // Bootstrapping the engines comes last: by then every credential they will reach for is in place.
  append(steps, bootstrapSteps(mesh));
  return steps.filter((s) => (seen.has(s.title) ? false : (seen.add(s.title), true)));
}
