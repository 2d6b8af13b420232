import { referencesMatchContracts } from './references.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Origin } from '../model/origin.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { isBuiltinGroup, resourceKey } from '../resolve/builtin-apis.js';
import { kroRules } from './kro.js';
import { inClusterServer } from '../model/target.js';
import { dnsLabelProblem, dnsSubdomainProblem, workspacePathProblem } from './names.js';
import { workspaceTypes } from './workspace-types.js';
import { unknownExport } from './unknown-export.js';
import { publishOptions } from './published.js';

/** A graph rule: reads the resolved mesh, reports problems. Rules never stop at the first one. */
export type Rule = (mesh: ResolvedMesh) => Diagnostic[];

function duplicates<T>(items: readonly T[], key: (t: T) => string, origin: (t: T) => Origin, what: (k: string) => string): Diagnostic[] {
  const first = new Map<string, T>();
  const out: Diagnostic[] = [];
  for (const item of items) {
    const k = key(item);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, item);
    else out.push(diagnostic('duplicateName', origin(item), `${what(k)} is declared twice`, `the first is ${origin(seen).path}${origin(seen).location?.() ? ` (${origin(seen).location!()})` : ''}`));
  }
  return out;
}

export const names: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  const bad = (origin: Origin, what: string, problem: string | undefined) => badName(out, origin, what, problem);
  for (const t of mesh.teams) bad(t.origin, `team name '${t.name}'`, dnsLabelProblem(t.name));
  for (const w of mesh.workspaces) bad(w.origin, `workspace path '${w.path}'`, workspacePathProblem(w.path));
  for (const c of mesh.clusters) bad(c.origin, `cluster name '${c.name}'`, dnsLabelProblem(c.name));
  for (const e of mesh.exports) {
    bad(e.origin, `export name '${e.name}'`, dnsSubdomainProblem(e.name));
    const a = e.syncAgent;
    if (!a) continue;
    bad(e.origin, `api-syncagent name '${a.agentName}' (team name + construct id)`, dnsLabelProblem(a.agentName));
    bad(e.origin, `agent namespace '${a.agentNamespace}'`, dnsLabelProblem(a.agentNamespace));
    bad(e.origin, `kubeconfig Secret name '${a.kcpKubeconfigSecret}'`, dnsSubdomainProblem(a.kcpKubeconfigSecret));
    for (const r of a.related) {
      if (!/^[a-zA-Z0-9]+$/.test(r.identifier)) out.push(diagnostic('invalidName', e.origin, `related resource identifier '${r.identifier}' must be letters and digits only`));
    }
  }
  for (const b of mesh.bindings) bad(b.origin, `binding name '${b.name}'`, dnsSubdomainProblem(b.name));
  for (const t of mesh.workspaceTypes) {
    bad(t.origin, `WorkspaceType name '${t.name}'`, dnsLabelProblem(t.name));
    bad(t.origin, `workspace path '${t.path}' of WorkspaceType '${t.name}'`, workspacePathProblem(t.path));
  }
  return out;
};

export const uniqueness: Rule = (mesh) => [
  ...duplicates(mesh.teams, (t) => t.name, (t) => t.origin, (k) => `team '${k}'`),
  ...duplicates(mesh.workspaces, (w) => w.path, (w) => w.origin, (k) => `workspace '${k}'`),
  ...duplicates(mesh.clusters, (c) => c.name, (c) => c.origin, (k) => `cluster '${k}'`),
  ...duplicates(mesh.exports, (e) => e.key, (e) => e.origin, (k) => `APIExport '${k.split('|')[1]}' in ${k.split('|')[0] || 'a team without workspace'}`),
  ...duplicates(mesh.bindings, (b) => `${b.workspacePath}|${b.name}`, (b) => b.origin, (k) => `APIBinding '${k.split('|')[1]}' in ${k.split('|')[0]}`),
  ...duplicates(mesh.workspaceTypes, (t) => `${t.path}|${t.name}`, (t) => t.origin, (k) => `WorkspaceType '${k.split('|')[1]}' in ${k.split('|')[0]}`),
  ...duplicates(mesh.bindings, (b) => `${b.workspacePath}|${b.export.path}|${b.export.name}`, (b) => b.origin, (k) => `a binding of ${k.split('|')[1]}:${k.split('|')[2]} into ${k.split('|')[0]}`),
];

export const ownership: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  const clusterOwner = new Map(mesh.clusters.map((c) => [c.name, c.owner] as const));
  for (const c of mesh.clusters) if (!c.owner) out.push(diagnostic('noOwner', c.origin, `cluster '${c.name}' belongs to no team`, 'declare it inside a Team (team.addCluster)'));
  // An organization's account belongs to the platform, not to a team.
  for (const w of mesh.workspaces) if (!w.owner && w.account?.type !== 'org') out.push(diagnostic('noOwner', w.origin, `workspace '${w.path}' belongs to no team`, 'declare it inside a Team'));
  for (const e of mesh.exports) {
    if (!e.workspacePath) out.push(diagnostic('noWorkspace', e.origin, `team '${e.team}' has no kcp workspace to export '${e.name}' from`, 'give the team a workspace, or offer the API with kube-bind'));
    const cluster = e.syncAgent?.cluster;
    if (cluster === undefined) continue;
    const owner = clusterOwner.get(cluster);
    if (owner !== e.team) out.push(diagnostic('foreignCluster', e.origin, `'${e.name}' is published from cluster '${cluster}', which ${owner ? `belongs to team '${owner}'` : 'is not declared in this mesh'}`, `publish from a cluster of team '${e.team}'`));
  }
  for (const b of mesh.bindings) if (!b.workspacePath) out.push(diagnostic('noWorkspace', b.origin, `team '${b.team}' has no kcp workspace to bind '${b.export.name}' into`));
  return out;
};

export const bindingTargets: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  for (const b of mesh.bindings) {
    if (!b.target) {
      out.push(unknownExport(mesh, b.export, b.origin));
      continue;
    }
    const claimKeys = new Set(b.target.claims.map((c) => c.key));
    const decided = new Set([...b.accept, ...b.reject]);
    for (const c of b.target.claims) {
      if (!decided.has(c.key)) out.push(diagnostic('unacceptedClaim', b.origin, `binding '${b.name}' does not accept claim '${c.key}' that '${b.target.name}' makes (${c.reason})`, `add '${c.key}' to acceptClaims (or rejectClaims)`));
    }
    for (const k of b.accept) if (b.reject.includes(k)) out.push(diagnostic('unknownClaim', b.origin, `binding '${b.name}' both accepts and rejects claim '${k}'`));
    for (const k of decided) {
      if (!claimKeys.has(k)) out.push(diagnostic('unknownClaim', b.origin, `binding '${b.name}' names claim '${k}', which '${b.target.name}' does not make`, `the export claims: ${[...claimKeys].join(', ') || 'nothing'}`));
    }
  }
  return out;
};

export const identityHashes: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  for (const e of mesh.exports) {
    for (const c of e.claims) {
      if (c.identityHash || isBuiltinGroup(c.group)) continue;
      out.push(diagnostic('missingIdentityHash', e.origin, `claim '${c.key}' of '${e.name}' (${c.reason}) needs the identityHash of the APIExport serving it; kcp would accept the binding and silently never show the resource`,
        `set identityHash on the related resource, or on the ProvidedAPI that serves '${c.key}' (kubectl get apiexport <name> -o jsonpath='{.status.identityHash}')`));
    }
  }
  return out;
};

export const consumerConflicts: Rule = (mesh) => {
  // kcp refuses a second binding that serves a group/resource already bound in the workspace.
  const out: Diagnostic[] = [];
  const served = new Map<string, string>();
  for (const b of mesh.bindings) {
    if (!b.target || !b.workspacePath) continue;
    for (const r of b.target.resources) {
      const k = `${b.workspacePath}|${resourceKey(r.group, r.plural)}`;
      const other = served.get(k);
      if (other && other !== b.target.key) out.push(diagnostic('duplicateName', b.origin, `'${resourceKey(r.group, r.plural)}' would be bound twice into ${b.workspacePath} (also by ${other.split('|')[1]})`));
      else served.set(k, b.target.key);
    }
  }
  return out;
};


export const claimsReachSomething: Rule = (mesh) => {
  // A claim on another export's resource only works in a workspace that also binds that export.
  const out: Diagnostic[] = [];
  const boundIn = new Map<string, Set<string>>();
  for (const b of mesh.bindings) {
    if (!b.target || !b.workspacePath) continue;
    const set = boundIn.get(b.workspacePath) ?? boundIn.set(b.workspacePath, new Set()).get(b.workspacePath)!;
    for (const r of b.target.resources) set.add(resourceKey(r.group, r.plural));
  }
  for (const b of mesh.bindings) {
    if (!b.target || !b.workspacePath) continue;
    for (const c of b.target.claims) {
      if (isBuiltinGroup(c.group) || !b.accept.includes(c.key)) continue;
      if (!boundIn.get(b.workspacePath)?.has(c.key)) {
        out.push(diagnostic('claimWithoutBinding', b.origin, `binding '${b.name}' accepts claim '${c.key}', but ${b.workspacePath} does not bind the API serving it, so the claim reaches nothing`, `bind the export that serves '${c.key}' into ${b.workspacePath} too`));
      }
    }
  }
  return out;
};

export const operators: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  const clusterOwner = new Map(mesh.clusters.map((c) => [c.name, c.owner] as const));
  for (const op of mesh.operators) {
    // A ManagedProvider goes to the platform's cluster, not the team's; a user-deployed operator may name none.
    if (op.deployedBy !== 'managedProvider' && op.cluster !== '' && clusterOwner.get(op.cluster) !== op.team) out.push(diagnostic('foreignCluster', op.origin, `operator '${op.name}' runs in cluster '${op.cluster}', which does not belong to team '${op.team}'`));
    badName(out, op.origin, `operator name '${op.name}'`, dnsLabelProblem(op.name));
    badName(out, op.origin, `operator namespace '${op.namespace}'`, dnsLabelProblem(op.namespace));
  }
  return out;
};

export const kubeBind: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  for (const b of mesh.kubeBindBackends) {
    badName(out, b.origin, `kube-bind namespace '${b.namespace}'`, dnsLabelProblem(b.namespace));
    if (b.source.type === 'kcp' && !b.source.workspacePath) out.push(diagnostic('kubeBind', b.origin, 'a kcp-mode kube-bind backend needs the workspace it serves'));
  }
  for (const o of mesh.kubeBindOffers) {
    badName(out, o.origin, `APIServiceExportTemplate name '${o.name}'`, dnsSubdomainProblem(o.name));
    if (o.api.type === 'binding') {
      if (o.backendModel?.source.type !== 'kcp') out.push(diagnostic('kubeBind', o.origin, `offer '${o.name}' offers a kcp binding, but its backend is not in kcp mode`, 'give the backend kcpWorkspace, or offer a CRD'));
      else if (!o.viaBinding) out.push(diagnostic('kubeBind', o.origin, `offer '${o.name}' names binding '${o.api.binding}', which ${o.backendModel.source.workspacePath} does not have`, 'bind the API into the workspace first (team.bind)'));
    }
    for (const c of o.claims) if (!c.reference) out.push(diagnostic('kubeBind', o.origin, `offer '${o.name}' claims ${c.resource} without a reference field`));
    const graph = o.api.type === 'crd' ? o.api.graph : undefined;
    if (graph && o.backendModel && graph.cluster !== o.backendModel.cluster) {
      out.push(diagnostic('kubeBind', o.origin, `offer '${o.name}' offers KRO graph '${graph.name}' of cluster '${graph.cluster}', but its backend runs in cluster '${o.backendModel.cluster}', where kro never makes that kind`, 'offer it from a backend in the graph\'s cluster'));
    }
  }
  for (const kb of mesh.kubeBindBindings) {
    badName(out, kb.origin, `kube-bind binding name '${kb.name}'`, dnsSubdomainProblem(kb.name));
    badName(out, kb.origin, `kubeconfig Secret name '${kb.kubeconfigSecret}'`, dnsSubdomainProblem(kb.kubeconfigSecret));
    if (kb.target?.backendModel?.source.type === 'cluster' && kb.target.backendModel.cluster === kb.cluster) {
      out.push(diagnostic('kubeBind', kb.origin, `cluster '${kb.cluster}' binds '${kb.name}' from its own kube-bind backend`, 'the API is already there; bind it from another cluster'));
    }
  }
  const konnectorImages = new Map<string, string>();
  for (const kb of mesh.kubeBindBindings) {
    const other = konnectorImages.get(kb.cluster);
    if (other && other !== kb.konnectorImage) out.push(diagnostic('kubeBind', kb.origin, `cluster '${kb.cluster}' runs one konnector, but its bindings ask for images ${other} and ${kb.konnectorImage}`));
    konnectorImages.set(kb.cluster, kb.konnectorImage);
  }
  return out;
};

const nameHint = 'use lower-case letters, digits and "-" (and "." where a subdomain is allowed), e.g. team-a, postgres.example.com';

function badName(out: Diagnostic[], origin: Origin, what: string, problem: string | undefined): void {
  if (problem) out.push(diagnostic('invalidName', origin, `${what} ${problem}`, nameHint));
}

/**
 * Every cluster needs a destination of its own with each engine: without one Argo CD would deploy into its own
 * cluster (Flux likewise without a kubeconfig), and two clusters sharing one make two apps own (and prune) the same
 * objects.
 */
export const clusterDestinations: Rule = (mesh) => {
  const out: Diagnostic[] = [];
  const engines = mesh.gitops.engines;
  if (engines.length === 0) return out;
  const seen = new Map<string, string>();
  for (const c of mesh.clusters) {
    const server = c.server ?? (c.inCluster ? inClusterServer : undefined);
    if (engines.includes('argocd') && server === undefined) {
      out.push(diagnostic('clusterDestination', c.origin, `cluster '${c.name}' has no Argo CD destination`, `set server: '<API server URL as registered in Argo CD>', or inCluster: true if Argo CD runs in this cluster`));
      continue;
    }
    if (engines.includes('flux') && !c.inCluster && c.kubeconfigSecret === undefined) {
      out.push(diagnostic('clusterDestination', c.origin, `cluster '${c.name}' has no Flux kubeconfig Secret: Flux would apply its folder to the cluster Flux runs in`, `set kubeconfigSecret: '${c.name}-kubeconfig' (a Secret with key kubeconfig in the Flux namespace), or inCluster: true if Flux runs in this cluster`));
      continue;
    }
    const key = c.inCluster ? '(the engine\'s own cluster)' : server ?? `flux:${c.kubeconfigSecret}`;
    const other = seen.get(key);
    if (other !== undefined) out.push(diagnostic('clusterDestination', c.origin, `clusters '${other}' and '${c.name}' share the destination ${key}: two apps would own, and prune, the same objects`, 'give each cluster its own server (and kubeconfigSecret), or declare it once'));
    else seen.set(key, c.name);
  }
  return out;
};

export const applyCycles: Rule = (mesh) =>
  mesh.applyOrder.cycles.map((c) => diagnostic('cycle', undefined, `folders must be applied before each other in a cycle: ${c.join(' → ')}`, 'this is a p2c bug if it happens: please report the mesh'));

/** An engine that is on must know the repository it reads and, for workspaces, the kcp front-proxy: no guessing. */
export const gitopsTargets: Rule = (mesh) => {
  if (mesh.gitops.engines.length === 0) return [];
  const out: Diagnostic[] = [];
  const engines = mesh.gitops.engines.join(' and ');
  if (mesh.gitops.repoURL === undefined) {
    out.push(diagnostic('gitopsTarget', mesh.origin, `${engines} would read the output from no repository: the mesh sets no gitops.repoURL and the output's Git work tree has no origin remote`, "set gitops: { repoURL: 'https://…/your-platform.git' } in the Mesh, or git remote add origin <url>, or --gitops none"));
  }
  if (mesh.frontProxyUrl === undefined && mesh.workspaces.length > 0) {
    out.push(diagnostic('gitopsTarget', mesh.origin, `${engines} would apply ${mesh.workspaces.length} workspace folder${mesh.workspaces.length === 1 ? '' : 's'} through no kcp front-proxy: the mesh sets no kcp.frontProxyUrl`, "set kcp: { frontProxyUrl: 'https://<your kcp front-proxy>' } in the Mesh"));
  }
  return out;
};

export const coreRules: readonly Rule[] = [applyCycles, names, uniqueness, ownership, bindingTargets, workspaceTypes, identityHashes, consumerConflicts, claimsReachSomething, operators, kubeBind, kroRules, clusterDestinations, gitopsTargets, referencesMatchContracts, publishOptions];
