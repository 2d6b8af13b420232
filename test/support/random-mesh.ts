import fc from 'fast-check';
import { ApiObject, Chart } from 'cdk8s';
import { Mesh, Team, type ComputeCluster, type CustomResourceDefinition, type ProvidedAPI, type Binding } from '../../src/index.js';
import { delivered } from './mesh.js';

/** A plain description of a mesh; `build` declares it, in an order chosen by a seed. */
export interface MeshSpec {
  teams: Array<{ apis: Array<{ kind: string; related: boolean }>; clusters: number; configMaps: number }>;
  bindings: Array<{ consumer: number; provider: number; api: number; reject: boolean }>;
  kubeBind: Array<{ provider: number; consumer: number }>;
  graphs: Array<{ team: number; useBound: boolean; chain: number }>;
  operator?: { team: number; claims: Array<{ provider: number; api: number }> };
}

const kinds = ['Widget', 'Gadget', 'Bucket', 'Queue', 'Cache', 'Topic'];

export const meshSpec: fc.Arbitrary<MeshSpec> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) =>
    fc.record({
      teams: fc.array(fc.record({
        apis: fc.uniqueArray(fc.record({ kind: fc.constantFrom(...kinds), related: fc.boolean() }), { maxLength: 2, selector: (a) => a.kind }),
        clusters: fc.integer({ min: 1, max: 2 }),
        configMaps: fc.integer({ min: 0, max: 2 }),
      }), { minLength: n, maxLength: n }),
      bindings: fc.array(fc.record({ consumer: fc.nat(n - 1), provider: fc.nat(n - 1), api: fc.nat(1), reject: fc.boolean() }), { maxLength: 6 }),
      kubeBind: fc.array(fc.record({ provider: fc.nat(n - 1), consumer: fc.nat(n - 1) }), { maxLength: 2 }),
      graphs: fc.array(fc.record({ team: fc.nat(n - 1), useBound: fc.boolean(), chain: fc.integer({ min: 1, max: 3 }) }), { maxLength: 2 }),
      operator: fc.option(fc.record({ team: fc.nat(n - 1), claims: fc.array(fc.record({ provider: fc.nat(n - 1), api: fc.nat(1) }), { maxLength: 2 }) }), { nil: undefined }),
    }),
  )
  .map(normalize);

/** Drops references a valid mesh cannot have (bindings of APIs that do not exist, duplicates). */
function normalize(spec: MeshSpec): MeshSpec {
  const has = (t: number, a: number) => spec.teams[t]!.apis.length > a;
  const seen = new Set<string>();
  const bindings = spec.bindings.filter((b) => {
    const k = `${b.consumer}/${b.provider}/${b.api}`;
    if (!has(b.provider, b.api) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const kubeBind = spec.kubeBind.filter((k, i, all) => k.provider !== k.consumer && spec.teams[k.provider]!.apis.length > 0 && all.findIndex((x) => x.provider === k.provider && x.consumer === k.consumer) === i);
  const operator = spec.operator && { ...spec.operator, claims: spec.operator.claims.filter((c, i, all) => has(c.provider, c.api) && all.findIndex((x) => x.provider === c.provider && x.api === c.api) === i) };
  return { ...spec, bindings, kubeBind, ...(operator ? { operator } : {}) };
}

export function crdFor(team: string, kind: string): CustomResourceDefinition {
  const plural = `${kind.toLowerCase()}s`;
  const group = `${team}.example.com`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group, scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, secretName: { type: 'string' } } }, status: { type: 'object', properties: { phase: { type: 'string' } } } } } } }],
    },
  };
}

/** A deterministic shuffle: the same seed gives the same order. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface Built {
  mesh: Mesh;
  teams: Team[];
  apis: ProvidedAPI[][];
  clusters: ComputeCluster[][];
  bindings: Binding[];
}

const teamName = (i: number) => `team-${i}`;
const claimKeys = (related: boolean) => (related ? ['events', 'namespaces', 'secrets'] : ['events']);

/** Declares the spec; `seed` picks the declaration order (0: as listed). */
export function build(spec: MeshSpec, seed = 0): Built {
  const order = <T>(xs: readonly T[]) => (seed === 0 ? [...xs] : shuffled(xs, seed));
  const mesh = new Mesh(delivered({ gitops: { engines: ['argocd', 'flux'] } }));
  const teams: Team[] = [];
  const apis: ProvidedAPI[][] = [];
  const clusters: ComputeCluster[][] = [];
  for (const i of order(spec.teams.map((_, i) => i))) {
    const t = new Team(mesh, teamName(i));
    teams[i] = t;
    const ts = spec.teams[i]!;
    clusters[i] = order([...Array(ts.clusters).keys()]).map((c) => t.addCluster(`c${c}`, { name: `${teamName(i)}-c${c}`, server: `https://${`${teamName(i)}-c${c}`}.clusters.example.com`, kubeconfigSecret: `${teamName(i)}-c${c}-kubeconfig` }));
    clusters[i]!.sort((a, b) => a.name.localeCompare(b.name));
    apis[i] = [];
    for (const a of order(ts.apis.map((_, a) => a))) {
      const api = ts.apis[a]!;
      apis[i]![a] = t.provide(`api${a}`, {
        cluster: clusters[i]![0]!, crd: crdFor(teamName(i), api.kind), exportName: `${api.kind.toLowerCase()}.${teamName(i)}.example.com`,
        ...(api.related ? { related: [{ identifier: 'credentials', origin: 'service' as const, reference: 'spec.secretName' }] } : {}),
        identityHash: `${(i + 1).toString(16).padStart(2, '0')}${a}`.padEnd(64, 'a'),
      });
    }
    for (const n of order([...Array(ts.configMaps).keys()])) new ApiObject(clusters[i]![0]!, `cm${n}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${n}`, namespace: 'apps' }, data: { n: String(n) } });
  }
  const bindings: Binding[] = [];
  const actions: Array<() => void> = [];
  for (const b of spec.bindings) {
    actions.push(() => {
      const related = spec.teams[b.provider]!.apis[b.api]!.related;
      const keys = claimKeys(related);
      const reject = b.reject && related ? ['secrets'] : [];
      bindings.push(teams[b.consumer]!.bind(`bind-${b.provider}-${b.api}`, { api: apis[b.provider]![b.api]!, acceptClaims: order(keys.filter((k) => !reject.includes(k))), rejectClaims: reject }));
    });
  }
  const bound = new Map<number, string[]>(); // consumer team → kinds bound into its first cluster via kube-bind
  for (const k of spec.kubeBind) {
    const api = spec.teams[k.provider]!.apis[0]!;
    (bound.get(k.consumer) ?? bound.set(k.consumer, []).get(k.consumer)!).push(`${teamName(k.provider)}.example.com/v1:${api.kind}`);
  }
  for (const k of spec.kubeBind) {
    actions.push(() => {
      const providerCluster = clusters[k.provider]![clusters[k.provider]!.length - 1]!;
      const backend = (providerCluster.node.tryFindChild('kube-bind') as ReturnType<ComputeCluster['addKubeBindBackend']> | undefined) ?? providerCluster.addKubeBindBackend('kube-bind');
      const offer = backend.offer(`offer-${k.consumer}`, { api: crdFor(teamName(k.provider), spec.teams[k.provider]!.apis[0]!.kind), installCrd: false, name: `offer-${k.consumer}.${teamName(k.provider)}.example.com` });
      clusters[k.consumer]![0]!.bindWithKubeBind(`kb-${k.provider}`, { offer, kubeconfigSecret: `kubeconfig-${teamName(k.provider)}` });
    });
  }
  spec.graphs.forEach((g, gi) => {
    actions.push(() => {
      const boundKinds = bound.get(g.team) ?? [];
      const resources: Array<{ id: string; template: Record<string, unknown> }> = [];
      for (let r = 0; r < g.chain; r++) {
        const prev = r > 0 ? `\${r${r - 1}.metadata.name}` : '${schema.spec.name}';
        if (g.useBound && boundKinds.length && r === 0) {
          const [apiVersion, kind] = boundKinds[0]!.split(':') as [string, string];
          resources.push({ id: `r${r}`, template: { apiVersion, kind, metadata: { name: '${schema.spec.name}' }, spec: { size: 1 } } });
        } else {
          resources.push({ id: `r${r}`, template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${prev}-${r}` }, data: { from: prev } } });
        }
      }
      clusters[g.team]![0]!.addResourceGraph(`graph${gi}`, { schema: { apiVersion: 'v1alpha1', kind: `App${gi}`, group: `${teamName(g.team)}.example.com`, spec: { name: 'string' } }, resources });
    });
  });
  if (spec.operator) {
    const op = spec.operator;
    actions.push(() => {
      const t = teams[op.team]!;
      const operator = t.addOperator('operator', {
        cluster: clusters[op.team]![0]!, crd: crdFor(`${teamName(op.team)}-own`, 'Shop'), exportName: `shop.${teamName(op.team)}.example.com`, image: 'example/operator:v1',
        claims: op.claims.map((c) => ({ api: apis[c.provider]![c.api]! })),
      });
      // The operator's team binds its own API and every API the operator claims, accepting it all.
      const claimKeysOf = op.claims.map((c) => `${spec.teams[c.provider]!.apis[c.api]!.kind.toLowerCase()}s.${teamName(c.provider)}.example.com`);
      t.bind('own', { api: operator, acceptClaims: claimKeysOf });
      for (const c of op.claims) {
        if (spec.bindings.some((b) => b.consumer === op.team && b.provider === c.provider && b.api === c.api)) continue;
        t.bind(`claim-${c.provider}-${c.api}`, { api: apis[c.provider]![c.api]!, acceptClaims: claimKeys(spec.teams[c.provider]!.apis[c.api]!.related) });
      }
    });
  }
  for (const act of order(actions)) act();
  return { mesh, teams, apis, clusters, bindings };
}

export type Mutation = { name: string; expect: string; apply: (b: Built, spec: MeshSpec) => void };

/** Ways to break a valid mesh, each with the check code it must trip. */
export const mutations: readonly Mutation[] = [
  { name: 'bad team name', expect: 'P2C001', apply: (b) => { new Team(b.mesh, 'Bad_Team'); } },
  { name: 'bad cluster name', expect: 'P2C001', apply: (b) => { b.teams[0]!.addCluster('bad', { name: 'Bad.Cluster', server: 'https://bad-cluster.clusters.example.com' }); } },
  { name: 'duplicate cluster', expect: 'P2C002', apply: (b) => { b.teams[b.teams.length - 1]!.addCluster('dup', { name: b.clusters[0]![0]!.name, server: 'https://dup.clusters.example.com' }); } },
  { name: 'unknown export', expect: 'P2C003', apply: (b) => { b.teams[0]!.bind('ghost', { api: { path: 'root:team:nobody', name: 'ghost.example.com' }, acceptClaims: [] }); } },
  { name: 'unaccepted claim', expect: 'P2C004', apply: (b) => { const t = b.teams[0]!; const api = t.provide('extra', { cluster: b.clusters[0]![0]!, crd: crdFor('extra', 'Extra') }); t.bind('extra-binding', { api, acceptClaims: [] }); } },
  { name: 'unknown claim', expect: 'P2C005', apply: (b) => { const t = b.teams[0]!; const api = t.provide('extra', { cluster: b.clusters[0]![0]!, crd: crdFor('extra', 'Extra') }); t.bind('extra-binding', { api, acceptClaims: ['events', 'configmaps'] }); } },
  { name: 'missing identity hash', expect: 'P2C006', apply: (b) => { const t = b.teams[0]!; const api = t.provide('nohash', { cluster: b.clusters[0]![0]!, crd: crdFor('nohash', 'Nohash') }); t.addOperator('op2', { cluster: b.clusters[0]![0]!, crd: crdFor('op2', 'Thing'), image: 'x:1', claims: [{ api }] }); } },
  { name: 'unreadable CRD', expect: 'P2C007', apply: (b) => { b.teams[0]!.provide('missing', { cluster: b.clusters[0]![0]!, crd: 'does/not/exist.yaml' }); } },
  { name: 'no workspace', expect: 'P2C008', apply: (b) => { const t = new Team(b.mesh, 'edge', { workspace: false }); t.provide('api', { cluster: t.addCluster('cluster', { name: 'edge', server: 'https://edge.clusters.example.com' }), crd: crdFor('edge', 'Edge') }); } },
  { name: 'foreign cluster', expect: 'P2C009', apply: (b) => { const t = new Team(b.mesh, 'thief'); t.provide('api', { cluster: b.clusters[0]![0]!, crd: crdFor('thief', 'Loot') }); } },
  { name: 'Secret with data', expect: 'P2C012', apply: (b) => { new ApiObject(b.clusters[0]![0]!, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'apps' }, stringData: { password: 'x' } }); } },
  { name: 'KRO cycle', expect: 'P2C014', apply: (b) => { b.clusters[0]![0]!.addResourceGraph('cyclic', { schema: { apiVersion: 'v1alpha1', kind: 'Cyclic' }, resources: [{ id: 'a', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${b.metadata.name}' } } }, { id: 'b', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${a.metadata.name}' } } }] }); } },
  { name: 'KRO unknown kind', expect: 'P2C015', apply: (b) => { b.clusters[0]![0]!.addResourceGraph('unknown', { schema: { apiVersion: 'v1alpha1', kind: 'Unknown' }, resources: [{ id: 'x', template: { apiVersion: 'nowhere.example.com/v1', kind: 'Nothing', metadata: { name: 'x' } } }] }); } },
  { name: 'KRO unknown reference', expect: 'P2C016', apply: (b) => { b.clusters[0]![0]!.addResourceGraph('dangling', { schema: { apiVersion: 'v1alpha1', kind: 'Dangling' }, resources: [{ id: 'x', template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${y.metadata.name}' } } }] }); } },
  { name: 'loose object', expect: 'P2C018', apply: (b) => { new ApiObject(new Chart(b.mesh, 'loose'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }); } },
  { name: 'wildcard role', expect: 'P2C023', apply: (b) => { new ApiObject(b.clusters[0]![0]!, 'admin', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'admin-ish' }, rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] }); } },
  { name: 'invalid object', expect: 'P2C011', apply: (b) => { new ApiObject(b.clusters[0]![0]!, 'deploy', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'apps' }, spec: { replicas: 'many' } }); } },
];
