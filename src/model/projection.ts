import type { JsonObject, KubeObject, ServiceResourceModel, SyncAgentModel } from './mesh.js';

type Projection = {
  group?: string; kind?: string; plural?: string; scope?: 'Namespaced' | 'Cluster';
  versions?: Record<string, string>; shortNames?: string[]; categories?: string[];
};
type Crd = KubeObject & { spec: { group: string; scope: string; names: Record<string, unknown>; versions: Array<{ name: string; served?: boolean; storage?: boolean }> } };

/** Kubernetes' version order (v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else, alphabetically). */
function versionRank(v: string): [number, number, number, string] {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
  if (!m) return [3, 0, 0, v];
  const stage = m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0;
  return [stage, -Number(m[1]), -Number(m[3] ?? 0), ''];
}
function compareVersions(a: string, b: string): number {
  const x = versionRank(a);
  const y = versionRank(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x[3] < y[3] ? -1 : x[3] > y[3] ? 1 : 0;
}

/**
 * The CRD as kcp serves it once api-syncagent projected it (kcp-dev/api-syncagent v0.7.0
 * internal/projection/projection.go, projectCRDVersions and projectCRDNames): versions renamed and put in Kubernetes
 * order, a new kind sets listKind, singular and plural (`<lower-case kind>s`) before an explicit plural, then group,
 * scope, categories and short names; the name follows.
 */
export function projectResource(source: ServiceResourceModel, given: JsonObject | undefined): ServiceResourceModel {
  if (!given) return source;
  const p = given as Projection;
  const crd = structuredClone(source.crd) as Crd;
  const spec = crd.spec;
  if (p.versions) {
    for (const v of spec.versions) v.name = p.versions[v.name] ?? v.name;
    // CompareKubeAwareVersionStrings is positive when the first is more stable; the agent sorts ascending on it, so
    // the least stable version comes first (v1alpha1, v1beta1, v1, v2).
    spec.versions.sort((a, b) => -compareVersions(a.name, b.name));
  }
  if (p.group) spec.group = p.group;
  if (p.kind) {
    spec.names = { ...spec.names, kind: p.kind, listKind: `${p.kind}List`, singular: p.kind.toLowerCase(), plural: `${p.kind.toLowerCase()}s` };
  }
  if (p.plural) spec.names = { ...spec.names, plural: p.plural };
  if (p.scope) spec.scope = p.scope;
  if (p.categories) spec.names = { ...spec.names, categories: [...p.categories] };
  if (p.shortNames) spec.names = { ...spec.names, shortNames: [...p.shortNames] };
  crd.metadata = { ...crd.metadata, name: `${spec.names['plural'] as string}.${spec.group}` };
  return {
    group: spec.group,
    kind: spec.names['kind'] as string,
    plural: spec.names['plural'] as string,
    scope: spec.scope as ServiceResourceModel['scope'],
    versions: spec.versions.filter((v) => v.served !== false).map((v) => v.name),
    hasStatus: source.hasStatus,
    crd,
  };
}

/** The options given for one source CRD: by its kind, or the kind-less entry when the API has one CRD. */
export function publishOptionsOf(a: Pick<SyncAgentModel, 'publish' | 'sources'>, kind: string): SyncAgentModel['publish'][number] | undefined {
  return a.publish.find((o) => o.kind === kind) ?? (a.sources.length === 1 ? a.publish.find((o) => o.kind === undefined) : undefined);
}
