import type { BindingModel, ExportModel, MeshModel } from '../model/mesh.js';
import { isBuiltinGroup, resourceKey } from './builtin-apis.js';

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
}

export interface ResolvedBinding extends BindingModel {
  /** The export bound, when the mesh provides it. */
  readonly target?: ResolvedExport;
}

/** The mesh with references followed: bindings know their export, exports their claims and consumers. */
export interface ResolvedMesh extends Omit<MeshModel, 'exports' | 'bindings'> {
  readonly exports: readonly ResolvedExport[];
  readonly bindings: readonly ResolvedBinding[];
  readonly exportByKey: ReadonlyMap<string, ResolvedExport>;
}

export function exportKey(path: string, name: string): string {
  return `${path}|${name}`;
}

/**
 * The claims api-syncagent writes into its APIExport (v0.7.0, internal/controller/apiexport):
 * `events` always; `namespaces` when there are related resources; `logicalclusters` with
 * workspace paths; each related resource the export does not serve itself. The agent writes
 * `all: true`, which kcp shows as verbs ["*"]. Emitting the same set keeps GitOps and the agent
 * from fighting over the list.
 */
function syncAgentClaims(e: ExportModel, hashOf: (group: string, resource: string) => string | undefined): Claim[] {
  const claims = new Map<string, Claim>();
  const add = (group: string, resource: string, identityHash: string, reason: string) => {
    const key = resourceKey(group, resource);
    if (!claims.has(key)) claims.set(key, { group, resource, identityHash, verbs: ['*'], key, reason });
  };
  add('', 'events', '', 'api-syncagent always claims events');
  if (e.related.length > 0) add('', 'namespaces', '', 'api-syncagent claims namespaces for related resources');
  if (e.enableWorkspacePaths) add('core.kcp.io', 'logicalclusters', '', 'enableWorkspacePaths');
  const own = new Set(e.resources.map((r) => resourceKey(r.group, r.plural)));
  for (const r of e.related) {
    if (own.has(resourceKey(r.group, r.resource))) continue;
    const hash = r.identityHash ?? (isBuiltinGroup(r.group) ? '' : hashOf(r.group, r.resource) ?? '');
    add(r.group, r.resource, hash, `related resource '${r.identifier}'`);
  }
  return [...claims.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function resolveMesh(model: MeshModel): ResolvedMesh {
  // Which export serves a group/resource, so a claim on it can take that export's identityHash.
  const servedBy = new Map<string, ExportModel>();
  for (const e of model.exports) for (const r of e.resources) servedBy.set(resourceKey(r.group, r.plural), e);
  const hashOf = (group: string, resource: string) => servedBy.get(resourceKey(group, resource))?.identityHash;

  const exportByKey = new Map<string, ResolvedExport>();
  const exports: ResolvedExport[] = model.exports.map((e) => {
    const resolved: ResolvedExport = { ...e, key: exportKey(e.workspacePath ?? '', e.name), claims: syncAgentClaims(e, hashOf), consumers: [] };
    if (!exportByKey.has(resolved.key)) exportByKey.set(resolved.key, resolved);
    return resolved;
  });
  const bindings: ResolvedBinding[] = model.bindings.map((b) => {
    const target = exportByKey.get(exportKey(b.export.path, b.export.name));
    const resolved: ResolvedBinding = target ? { ...b, target } : { ...b };
    target?.consumers.push(resolved);
    return resolved;
  });
  return { ...model, exports, bindings, exportByKey };
}
