import { parentPath } from '../model/target.js';
import { computeAvailability, type Availability } from './availability.js';
import type { SubjectModel, BindingModel, DefaultBindingModel, ExportModel, MeshModel, WorkspaceTypeModel, WorkspaceModel, KubeBindOfferModel, KubeBindBackendModel, KubeBindBindingModel, ServiceResourceModel } from '../model/mesh.js';
import { isBuiltinGroup, resourceKey } from './builtin-apis.js';
import { computeApplyOrder, type ApplyOrder } from './apply-order.js';
import { computeStages, type Stages } from './stages.js';
import { kindKey, sortedBy, append } from '../model/collections.js';
import type { Target } from '../model/mesh.js';

/** A permission claim an APIExport makes, as kcp v1alpha2 spells it. */
export interface Claim {
  readonly group: string;
  readonly resource: string;
  /** '' for built-in resources. */
  readonly identityHash: string;
  readonly verbs: readonly string[];
  /** `resource[.group]`, how users name the claim. */
  readonly key: string;
  /** Why the export makes it, for messages. */
  readonly reason: string;
}

export interface ResolvedExport extends ExportModel {
  /** `<workspace path>|<export name>` */
  readonly key: string;
  readonly claims: readonly Claim[];
  readonly consumers: ResolvedBinding[];
  /** Who applies WorkspaceTypes binding it by default: kcp's admission wants them to have `bind` on it. */
  readonly typeAppliers: SubjectModel[];
}

export interface ResolvedBinding extends BindingModel {
  /** The export bound, when the mesh provides it. */
  readonly target?: ResolvedExport;
}

export interface ResolvedOffer extends KubeBindOfferModel {
  readonly backendModel?: KubeBindBackendModel;
  /** The kinds offered: the CRDs, or the resources of the bound export (kcp mode). */
  readonly resources: readonly ServiceResourceModel[];
  /** kcp mode: the workspace binding that brings the API. */
  readonly viaBinding?: ResolvedBinding;
}

export interface ResolvedKubeBindBinding extends KubeBindBindingModel {
  readonly target?: ResolvedOffer;
}

export interface ResolvedDefaultBinding extends DefaultBindingModel {
  readonly target?: ResolvedExport;
}

export interface ResolvedWorkspaceType extends Omit<WorkspaceTypeModel, 'defaultBindings'> {
  readonly defaultBindings: readonly ResolvedDefaultBinding[];
}

/** The mesh with references followed: bindings know their export, exports their claims and consumers. */
export interface ResolvedMesh extends Omit<MeshModel, 'exports' | 'bindings' | 'kubeBindOffers' | 'kubeBindBindings' | 'workspaceTypes'> {
  readonly exports: readonly ResolvedExport[];
  readonly workspaceTypes: readonly ResolvedWorkspaceType[];
  readonly bindings: readonly ResolvedBinding[];
  readonly exportByKey: ReadonlyMap<string, ResolvedExport>;
  readonly kubeBindOffers: readonly ResolvedOffer[];
  readonly kubeBindBindings: readonly ResolvedKubeBindBinding[];
  /** Which custom kinds exist in every workspace and cluster (resolve/availability.ts). */
  readonly availability: Availability;
  /** The APIs kcp binds into each workspace while initializing it, from its WorkspaceType (resolved transitively). */
  readonly defaultBindings: readonly DefaultBound[];
  /** Folder-level apply order shared by the GitOps engines. */
  readonly applyOrder: ApplyOrder;
  /** Kinds that exist only after something in the same folder ran, and so the stage each object goes to. */
  readonly stages: Stages;
  /** Stage folders that hold objects (known once emitted; see pipeline). */
  readonly staged: readonly Target[];
}

export { kindKey };

export function exportKey(path: string, name: string): string {
  return `${path}|${name}`;
}

/**
 * The claims api-syncagent adds to its APIExport (kcp-dev/api-syncagent v0.7.0,
 * internal/controller/apiexport/controller.go): `events` always; `namespaces` when there are related
 * resources; `logicalclusters` with workspace paths; each related resource the export does not serve
 * itself, with its identityHash. It never removes claims. It writes `all: true`, which kcp shows in
 * v1alpha2 as verbs ["*"]. Emitting the same set keeps GitOps and the agent from fighting over the list.
 */
type HashOf = (group: string, resource: string, given: string | undefined) => string;

function exportClaims(e: ExportModel, hashOf: HashOf): Claim[] {
  const claims = new Map<string, Claim>();
  for (const d of e.declaredClaims) {
    const key = resourceKey(d.group, d.resource);
    const hash = hashOf(d.group, d.resource, d.identityHash);
    claims.set(key, { group: d.group, resource: d.resource, identityHash: hash, verbs: [...d.verbs], key, reason: e.external ? `claimed by the external export '${e.name}'` : `claimed by operator '${e.operator ?? e.name}'` });
  }
  if (e.syncAgent) for (const c of syncAgentClaims(e, hashOf)) if (!claims.has(c.key)) claims.set(c.key, c);
  // kcp's order, and the one api-syncagent sorts its claims into (group, then resource): no reordering drift.
  return sortedBy(claims.values(), (c) => `${c.group}\u0000${c.resource}`);
}

function syncAgentClaims(e: ExportModel, hashOf: HashOf): Claim[] {
  const agent = e.syncAgent!;
  const claims = new Map<string, Claim>();
  const add = (group: string, resource: string, identityHash: string, reason: string) => {
    const key = resourceKey(group, resource);
    if (!claims.has(key)) claims.set(key, { group, resource, identityHash, verbs: ['*'], key, reason });
  };
  add('', 'events', '', 'api-syncagent always claims events');
  if (agent.related.length > 0) add('', 'namespaces', '', 'api-syncagent claims namespaces for related resources');
  if (agent.enableWorkspacePaths) add('core.kcp.io', 'logicalclusters', '', 'enableWorkspacePaths');
  const own = new Set(e.resources.map((r) => resourceKey(r.group, r.plural)));
  for (const r of agent.related) {
    if (own.has(resourceKey(r.group, r.resource))) continue;
    add(r.group, r.resource, hashOf(r.group, r.resource, r.identityHash), `related resource '${r.identifier}'`);
  }
  return [...claims.values()];
}

const typeKey = (path: string, name: string) => `${path}|${name}`;

/** A default binding as a workspace gets it. */
export interface DefaultBound {
  readonly name: string;
  readonly workspacePath: string;
  readonly workspaceType: string;
  readonly target?: ResolvedExport;
}

/**
 * The default bindings each workspace gets from its WorkspaceType and the types it extends, transitively (kcp v0.32.0
 * apibinder_initializer_reconcile.go resolves the transitive set). A reference without a path names a type of the
 * workspace's parent.
 */
function defaultBindingsOf(workspaces: readonly WorkspaceModel[], types: readonly ResolvedWorkspaceType[]): DefaultBound[] {
  const byKey = new Map(types.map((t) => [typeKey(t.path, t.name), t] as const));
  // Once per type, however many workspaces have it: synth stays linear in the mesh.
  const memo = new Map<ResolvedWorkspaceType, ResolvedDefaultBinding[]>();
  const transitive = (start: ResolvedWorkspaceType): ResolvedDefaultBinding[] => {
    const known = memo.get(start);
    if (known) return known;
    const seen = new Set<ResolvedWorkspaceType>();
    const out: ResolvedDefaultBinding[] = [];
    const visit = (t: ResolvedWorkspaceType) => {
      if (seen.has(t)) return;
      seen.add(t);
      append(out, t.defaultBindings);
      for (const e of t.extend) {
        const next = byKey.get(typeKey(e.path ?? t.path, e.name));
        if (next) visit(next);
      }
    };
    visit(start);
    memo.set(start, out);
    return out;
  };
  const out: DefaultBound[] = [];
  for (const w of workspaces) {
    if (!w.type) continue;
    const parent = parentPath(w.path) ?? '';
    const t = byKey.get(typeKey(w.type.path ?? parent, w.type.name));
    if (!t) continue;
    for (const d of transitive(t)) out.push({ name: `${d.export.name} (default binding of WorkspaceType ${t.name})`, workspacePath: w.path, workspaceType: t.name, ...(d.target ? { target: d.target } : {}) });
  }
  return out;
}

export function resolveMesh(model: MeshModel): ResolvedMesh {
  // Which export serves a group/resource, so a claim on it can take that export's identityHash.
  const servedBy = new Map<string, ExportModel>();
  for (const e of model.exports) for (const r of e.resources) servedBy.set(resourceKey(r.group, r.plural), e);
  // Given, else none for built-in APIs, else the serving export's; '' when unknown (a check reports it).
  const hashOf: HashOf = (group, resource, given) => given ?? (isBuiltinGroup(group) ? '' : servedBy.get(resourceKey(group, resource))?.identityHash ?? '');

  const exportByKey = new Map<string, ResolvedExport>();
  const exports: ResolvedExport[] = model.exports.map((e) => {
    const resolved: ResolvedExport = { ...e, key: exportKey(e.workspacePath ?? '', e.name), claims: exportClaims(e, hashOf), consumers: [], typeAppliers: [] };
    if (!exportByKey.has(resolved.key)) exportByKey.set(resolved.key, resolved);
    return resolved;
  });
  const bindings: ResolvedBinding[] = model.bindings.map((b) => {
    const target = exportByKey.get(exportKey(b.export.path, b.export.name));
    const resolved: ResolvedBinding = target ? { ...b, target } : { ...b };
    target?.consumers.push(resolved);
    return resolved;
  });

  const workspaceTypes: ResolvedWorkspaceType[] = model.workspaceTypes.map((t) => ({
    ...t,
    defaultBindings: t.defaultBindings.map((d) => {
      const target = exportByKey.get(exportKey(d.export.path, d.export.name));
      if (target) append(target.typeAppliers, t.appliedBy);
      return target ? { ...d, target } : { ...d };
    }),
  }));

  const backends = new Map(model.kubeBindBackends.map((b) => [b.key, b] as const));
  const offers = new Map<string, ResolvedOffer>();
  const kubeBindOffers: ResolvedOffer[] = model.kubeBindOffers.map((o) => {
    const backendModel = backends.get(o.backend);
    let resolved: ResolvedOffer;
    if (o.api.type === 'crd') {
      resolved = { ...o, ...(backendModel ? { backendModel } : {}), resources: o.api.resources };
    } else {
      const ws = backendModel?.source.type === 'kcp' ? backendModel.source.workspacePath : undefined;
      const name = o.api.binding;
      const viaBinding = bindings.find((b) => b.workspacePath === ws && b.name === name);
      resolved = { ...o, ...(backendModel ? { backendModel } : {}), resources: viaBinding?.target?.resources ?? [], ...(viaBinding ? { viaBinding } : {}) };
    }
    offers.set(o.key, resolved);
    return resolved;
  });
  const kubeBindBindings: ResolvedKubeBindBinding[] = model.kubeBindBindings.map((b) => {
    const target = offers.get(b.offer);
    return target ? { ...b, target } : { ...b };
  });

  const defaultBindings = defaultBindingsOf(model.workspaces, workspaceTypes);
  const availability = computeAvailability({
    installed: [
      ...exports.flatMap((e) => (e.syncAgent?.installCrd ? [{ target: { type: 'cluster' as const, name: e.syncAgent.cluster }, resources: e.syncAgent.sources, what: `CRD of ${e.name}` }] : [])),
      ...exports.flatMap((e) => (e.workspacePath && e.resources.some((r) => r.cached) ? [{ target: { type: 'workspace' as const, path: e.workspacePath }, resources: e.resources.filter((r) => r.cached), what: `cached kind of ${e.name}` }] : [])),
      ...kubeBindOffers.flatMap((o) => (o.api.type === 'crd' && o.api.installCrd && o.backendModel ? [{ target: { type: 'cluster' as const, name: o.backendModel.cluster }, resources: o.resources, what: 'CRD offered by kube-bind' }] : [])),
    ],
    // A default binding is there before anything is applied: kcp binds it while initializing the workspace.
    bindings: [...bindings, ...defaultBindings], kubeBindBindings, kroGraphs: model.kroGraphs, userObjects: model.userObjects, installedApis: model.installedApis,
  });

  return { ...model, exports, bindings, workspaceTypes, defaultBindings, exportByKey, kubeBindOffers, kubeBindBindings, availability, applyOrder: computeApplyOrder(model), stages: computeStages(bindings, kubeBindBindings, model.kroGraphs, model.kubeBindOffers), staged: [] };
}
