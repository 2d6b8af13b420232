import type { KubeObject, MeshModel, ServiceResourceModel, Target } from '../model/mesh.js';
import { folderOf } from '../model/target.js';
import { kindKey } from '../model/collections.js';
import type { Bound, KubeBound } from './stages.js';

/** A custom kind that exists in one workspace or cluster, and why. */
export interface AvailableKind {
  readonly group: string;
  readonly kind: string;
  /** Versions served there. */
  readonly versions: readonly string[];
  /** `crd`: installed from this folder; `apibinding`/`kube-bind`: arrives with a binding; `kro`: a graph's kind; `declared`: installed by someone else. */
  readonly via: 'crd' | 'apibinding' | 'kube-bind' | 'kro' | 'declared';
  /** For messages: `CRD of database.example.com`, `APIBinding database.example.com`. */
  readonly what: string;
  /** The CRD defining it, when p2c has one: the contract objects of the kind are checked against. */
  readonly crd?: KubeObject;
}

/** Base folder (`kcp/root/team/webshop`, `clusters/database`) → `group/Kind` → how it is available there. */
export type Availability = ReadonlyMap<string, ReadonlyMap<string, AvailableKind>>;

type Installed = readonly { readonly target: Target; readonly resources: readonly ServiceResourceModel[]; readonly what: string }[];

export interface AvailabilityInputs extends Pick<MeshModel, 'kroGraphs' | 'userObjects' | 'installedApis'> {
  /** CRDs p2c installs (api-syncagent providers and kube-bind backends in clusters, cached kinds in workspaces). */
  readonly installed: Installed;
  readonly bindings: Bound;
  readonly kubeBindBindings: KubeBound;
}

function servedVersions(crd: KubeObject): string[] {
  const versions = (crd as { spec?: { versions?: Array<{ name?: string; served?: boolean }> } }).spec?.versions ?? [];
  return versions.filter((v) => v.served !== false && typeof v.name === 'string').map((v) => v.name!);
}

/**
 * Which custom kinds exist in every workspace and cluster: one model, built once in resolve, for every check
 * that asks (KRO templates, instances of bound APIs, objects of unknown kinds). Built-in kinds are not listed:
 * they exist everywhere.
 */
export function computeAvailability(inputs: AvailabilityInputs): Availability {
  const out = new Map<string, Map<string, AvailableKind>>();
  const add = (target: Target, k: AvailableKind) => {
    const folder = folderOf(target);
    const kinds = out.get(folder) ?? out.set(folder, new Map()).get(folder)!;
    if (!kinds.has(kindKey(k.group, k.kind))) kinds.set(kindKey(k.group, k.kind), k);
  };
  const fromResource = (r: ServiceResourceModel, via: AvailableKind['via'], what: string): AvailableKind => ({
    group: r.group, kind: r.kind, versions: servedVersions(r.crd).length ? servedVersions(r.crd) : [...r.versions], via, what, crd: r.crd,
  });
  for (const i of inputs.installed) for (const r of i.resources) add(i.target, fromResource(r, 'crd', i.what));
  for (const b of inputs.bindings) {
    if (!b.workspacePath) continue;
    for (const r of b.target?.resources ?? []) add({ type: 'workspace', path: b.workspacePath }, fromResource(r, 'apibinding', `APIBinding ${b.name}`));
  }
  for (const b of inputs.kubeBindBindings) {
    for (const r of b.target?.resources ?? []) add({ type: 'cluster', name: b.cluster }, fromResource(r, 'kube-bind', `kube-bind binding '${b.name}'`));
  }
  for (const u of inputs.userObjects) {
    const o = u.object as KubeObject & { spec?: { group?: string; names?: { kind?: string } } };
    if (o.kind === 'CustomResourceDefinition' && o.spec?.group && o.spec.names?.kind) {
      add(u.target, { group: o.spec.group, kind: o.spec.names.kind, versions: servedVersions(o), via: 'crd', what: `CRD ${o.metadata.name}`, crd: o });
    }
  }
  for (const g of inputs.kroGraphs) {
    add({ type: 'cluster', name: g.cluster }, { group: g.schema.group, kind: g.schema.kind, versions: [g.schema.apiVersion], via: 'kro', what: `KRO graph '${g.name}'` });
  }
  for (const d of inputs.installedApis) {
    for (const crd of d.crds) {
      const spec = (crd as { spec?: { group?: string; names?: { kind?: string } } }).spec;
      if (spec?.group && spec.names?.kind) add(d.target, { group: spec.group, kind: spec.names.kind, versions: servedVersions(crd), via: 'declared', what: `installed by someone else (${d.origin.path})`, crd });
    }
    for (const kind of d.kinds) add(d.target, { group: d.group, kind, versions: [...d.versions], via: 'declared', what: `installed by someone else (${d.origin.path})` });
  }
  return out;
}

/** The kinds available where a target's objects land. */
export function kindsAt(availability: Availability, target: Target): ReadonlyMap<string, AvailableKind> | undefined {
  return availability.get(folderOf(target));
}

/** Whether a custom apiVersion and kind can be used at a target: missing, there but not at that version, or there. */
export type KindLookup = { readonly found: 'missing' } | { readonly found: 'unserved' | 'served'; readonly kind: AvailableKind };

export function lookupKind(availability: Availability, target: Target, apiVersion: string, kind: string): KindLookup {
  const slash = apiVersion.indexOf('/');
  const k = kindsAt(availability, target)?.get(kindKey(slash < 0 ? '' : apiVersion.slice(0, slash), kind));
  if (!k) return { found: 'missing' };
  return { found: slash >= 0 && k.versions.includes(apiVersion.slice(slash + 1)) ? 'served' : 'unserved', kind: k };
}
