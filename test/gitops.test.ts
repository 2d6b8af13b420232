import { appName } from '../src/emit/gitops.js';
import { describe, expect, it } from 'vitest';
import { compile, Mesh, Team } from '../src/index.js';
import type { KubeObject } from '../src/model/mesh.js';
import { compileExample } from './support/examples.js';
import { upstreamCatalog } from './support/oracle.js';
import { delivered, postgresCrd, elasticCrd } from './support/mesh.js';
import { parseAllDocuments } from 'yaml';

type App = KubeObject & { spec: { source: { path: string; repoURL: string }; destination: { server: string }; syncPolicy: { syncOptions: string[]; automated: unknown } } };
type Ks = KubeObject & { spec: { path: string; prune: boolean; wait: boolean; dependsOn?: Array<{ name: string }>; kubeConfig: { secretRef: { name: string } } } };

const apps = (c: { manifests: readonly { object: KubeObject }[] }) => c.manifests.map((m) => m.object).filter((o): o is App => o.kind === 'Application');
const kustomizations = (c: { manifests: readonly { object: KubeObject }[] }) => c.manifests.map((m) => m.object).filter((o): o is Ks => o.kind === 'Kustomization');
const applied = (c: { layout: { folders: ReadonlyMap<string, unknown> } }) => [...c.layout.folders.keys()].filter((f) => f.startsWith('kcp/') || f.startsWith('clusters/')).sort();

describe('GitOps apps for examples/idp', () => {
  it('both engines\' objects pass the upstream CRD checks', async () => {
    const c = await compileExample('idp', { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    const bootstrap = ['gitops/argocd/bootstrap.yaml', 'gitops/flux/bootstrap.yaml'].flatMap((f) => parseAllDocuments(c.files.get(f)!).map((d) => d.toJS() as KubeObject));
    const gitops = [...c.manifests.map((m) => m.object), ...bootstrap].filter((o) => ['Application', 'AppProject', 'Kustomization', 'GitRepository'].includes(o.kind));
    expect(new Set(gitops.map((o) => o.kind))).toEqual(new Set(['Application', 'AppProject', 'Kustomization', 'GitRepository']));
    for (const o of gitops) expect(upstreamCatalog().validate(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
  });

  it('every output folder is applied by exactly one Argo CD Application and one Flux Kustomization', async () => {
    const c = await compileExample('idp');
    const folders = applied(c);
    expect(apps(c).map((a) => a.spec.source.path.replace(/^dist\//, '')).sort()).toEqual(folders);
    expect(kustomizations(c).map((k) => k.spec.path.replace(/^\.\/dist\//, '')).sort()).toEqual(folders);
  });

  it('ordering follows the dependency graph: waves increase along every edge, dependsOn lists every predecessor', async () => {
    const c = await compileExample('idp');
    const order = c.mesh.applyOrder;
    const name = appName;
    const wave = new Map(apps(c).map((a) => [a.metadata.name, Number(a.metadata.annotations!['argocd.argoproj.io/sync-wave'])] as const));
    const deps = new Map(kustomizations(c).map((k) => [k.metadata.name, (k.spec.dependsOn ?? []).map((d) => d.name)] as const));
    expect(order.edges.length).toBeGreaterThan(8);
    for (const e of order.edges) {
      expect(wave.get(name(e.from))!, `${e.from} → ${e.to}`).toBeLessThan(wave.get(name(e.to))!);
      expect(deps.get(name(e.to)), `${e.from} → ${e.to}`).toContain(name(e.from));
    }
    const has = (from: string, to: string) => order.edges.some((e) => e.from === from && e.to === to);
    expect(has('kcp/root/team', 'kcp/root/team/database')).toBe(true); // parent workspace before child
    expect(has('kcp/root/team/database', 'kcp/root/team/webshop')).toBe(true); // export before binding
    expect(has('kcp/root/team/observability', 'clusters/observability')).toBe(true); // bound API before the KRO graph using it
    expect(has('kcp/root/team/webshop', 'clusters/webshop')).toBe(true); // bound APIs before the operator
    expect(order.relaxed).toEqual([]);
  });

  it('Argo CD: workspaces through the kcp front-proxy, skip dry run where an API comes from elsewhere, no credentials written', async () => {
    const c = await compileExample('idp');
    const byName = new Map(apps(c).map((a) => [a.metadata.name, a] as const));
    expect(byName.get('kcp.root.team.webshop')!.spec.destination.server).toBe('https://kcp.platform.example.com/clusters/root:team:webshop');
    expect(byName.get('clusters.webshop')!.spec.destination.server).toBe('https://webshop.clusters.example.com');
    expect(byName.get('kcp.root.team.observability')!.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    // The konnector creates the APIServiceBinding CRD at runtime; its stage folder skips the dry run.
    expect(byName.get('clusters.observability.stage-1')!.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
    expect(byName.get('kcp.root.team.database')!.spec.syncPolicy.syncOptions).not.toContain('SkipDryRunOnMissingResource=true');
    expect(c.manifests.some((m) => m.object.kind === 'Secret')).toBe(false);
  });

  it('Flux: prune, wait, and a kubeConfig Secret reference per target', async () => {
    const c = await compileExample('idp');
    for (const k of kustomizations(c)) {
      expect(k.spec.prune).toBe(true);
      expect(k.spec.wait).toBe(true);
    }
    const byName = new Map(kustomizations(c).map((k) => [k.metadata.name, k] as const));
    expect(byName.get('kcp.root.team.webshop')!.spec.kubeConfig.secretRef.name).toBe('kcp-root-team-webshop-kubeconfig');
    expect(byName.get('clusters.database')!.spec.kubeConfig.secretRef.name).toBe('database-kubeconfig');
  });

  it('the engine is chosen in the mesh settings and overridden on the command line', async () => {
    const mesh = new Mesh(delivered({ gitops: { engines: ['flux'] } }));
    const t = new Team(mesh, 'a');
    t.provide('api', { cluster: t.addCluster('cluster', { name: 'a', server: 'https://a.clusters.example.com', kubeconfigSecret: 'a-kubeconfig' }), crd: postgresCrd });
    expect(apps(compile(mesh))).toHaveLength(0);
    expect(kustomizations(compile(mesh)).length).toBeGreaterThan(0);
    const none = compile(mesh, { gitopsEngines: [] });
    expect([...none.layout.folders.keys()].some((f) => f.startsWith('gitops/'))).toBe(false);
    expect(apps(compile(mesh, { gitopsEngines: ['argocd'] })).length).toBeGreaterThan(0);
  });
});

describe('teams consuming each other in both directions', () => {
  it('never deadlocks: the apply order has no cycle, and the relaxed edges are named', () => {
    const mesh = new Mesh(delivered({ gitops: { engines: ['argocd', 'flux'] } }));
    const a = new Team(mesh, 'a');
    const b = new Team(mesh, 'b');
    const apiA = a.provide('pg', { cluster: a.addCluster('cluster', { name: 'a', server: 'https://a.clusters.example.com', kubeconfigSecret: 'a-kubeconfig' }), crd: postgresCrd });
    const apiB = b.provide('es', { cluster: b.addCluster('cluster', { name: 'b', server: 'https://b.clusters.example.com', kubeconfigSecret: 'b-kubeconfig' }), crd: elasticCrd });
    a.bind('es', { api: apiB, acceptClaims: ['events'] });
    b.bind('pg', { api: apiA, acceptClaims: ['events'] });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.mesh.applyOrder.cycles).toEqual([]);
    expect(c.mesh.applyOrder.relaxed.map((e) => `${e.from} → ${e.to}`).sort()).toEqual(['kcp/root/team/a → kcp/root/team/b', 'kcp/root/team/b → kcp/root/team/a']);
    // Flux dependsOn must be acyclic: a topological sort consumes every Kustomization.
    const deps = new Map(kustomizations(c).map((k) => [k.metadata.name, (k.spec.dependsOn ?? []).map((d) => d.name)] as const));
    const done = new Set<string>();
    for (let progress = true; progress;) {
      progress = false;
      for (const [n, ds] of deps) if (!done.has(n) && ds.every((d) => done.has(d))) { done.add(n); progress = true; }
    }
    expect(done.size).toBe(deps.size);
    expect(c.files.get('MESH.md')).toContain('Left to kcp at runtime');
  });
});

describe('bootstrap: applying one file per engine is enough', () => {
  const docs = (c: { files: ReadonlyMap<string, string> }, file: string) =>
    parseAllDocuments(c.files.get(file) ?? '').map((d) => d.toJS() as KubeObject).filter(Boolean);
  const folderOf = (c: { mesh: { gitops: { path: string } } }, repoPath: string) => repoPath.replace(/^\.\//, '').slice(c.mesh.gitops.path.length + 1);

  it('Argo CD: the root Application reaches every folder through gitops/argocd/, each app in its own project, in wave order', async () => {
    const c = await compileExample('idp');
    const boot = docs(c, 'gitops/argocd/bootstrap.yaml');
    expect(boot.map((o) => o.kind)).toEqual(['ConfigMap', 'Application']);
    const root = boot[1] as App;
    expect(folderOf(c, root.spec.source.path)).toBe('gitops/argocd');
    const children = docs(c, `${folderOf(c, root.spec.source.path)}/manifest.yaml`);
    const projects = new Map(children.filter((o) => o.kind === 'AppProject').map((p) => [p.metadata.name, p as KubeObject & { spec: Project }] as const));
    const reached = children.filter((o): o is App & { spec: { project: string } } => o.kind === 'Application').map((a) => {
      const project = projects.get(a.spec.project)!;
      expect(project, a.metadata.name).toBeDefined();
      expect(permits(project.spec, a.spec.destination.server), a.metadata.name).toBe(true);
      // AppProjects are applied in an earlier wave than any Application naming them.
      expect(Number(a.metadata.annotations!['argocd.argoproj.io/sync-wave'])).toBeGreaterThan(Number(project.metadata.annotations!['argocd.argoproj.io/sync-wave']));
      return folderOf(c, a.spec.source.path);
    });
    expect(reached.sort()).toEqual(applied(c));
    // The health checks that make those waves wait come with the bootstrap.
    expect(Object.keys((boot[0] as KubeObject & { data: Record<string, string> }).data)).toEqual(expect.arrayContaining([
      'resource.customizations.health.argoproj.io_Application', 'resource.customizations.health.apis.kcp.io_APIBinding',
      'resource.customizations.health.tenancy.kcp.io_Workspace', 'resource.customizations.health.apis.kcp.io_APIExport',
      'resource.customizations.health.kube-bind.io_APIServiceBinding',
    ]));
  });

  it('Flux: the root Kustomization reaches every folder through gitops/flux/, and dependsOn is the apply order', async () => {
    const c = await compileExample('idp');
    const boot = docs(c, 'gitops/flux/bootstrap.yaml');
    expect(boot.map((o) => o.kind)).toEqual(['GitRepository', 'Kustomization']);
    const root = boot[1] as Ks & { spec: { sourceRef: { name: string } } };
    expect(root.spec.sourceRef.name).toBe(boot[0]!.metadata.name);
    const children = docs(c, `${folderOf(c, root.spec.path)}/manifest.yaml`).filter((o): o is Ks => o.kind === 'Kustomization');
    expect(children.map((k) => folderOf(c, k.spec.path)).sort()).toEqual(applied(c));
    const byFolder = new Map(children.map((k) => [folderOf(c, k.spec.path), k] as const));
    for (const [folder, k] of byFolder) {
      expect((k.spec.dependsOn ?? []).map((d) => d.name).sort(), folder).toEqual((c.mesh.applyOrder.dependsOn.get(folder) ?? []).map(appName).sort());
    }
    // kstatus sees no Ready condition on a Workspace: the folder applying one says in CEL when it is ready.
    const parents = byFolder.get('kcp/root/team') as Ks & { spec: { healthCheckExprs?: Array<{ kind: string; current: string }> } };
    expect(parents.spec.healthCheckExprs).toEqual([expect.objectContaining({ kind: 'Workspace', current: "has(status.phase) && status.phase == 'Ready'" })]);
  });
});

interface Project {
  destinations: Array<{ server: string; namespace: string }>;
  clusterResourceWhitelist: Array<{ group: string; kind: string }>;
}
/** Argo CD's destination rule for a server (v3.5.1 app_project_types.go): a listed server, or a glob matching it. */
const permits = (p: Project, server: string) => p.destinations.some((d) => d.server === server || (d.server.includes('*') && new RegExp(`^${d.server.split('*').map((x) => x.replace(/[.?+^$()|[\]{}\\/]/g, '\\$&')).join('.*')}$`).test(server)));

describe('isolation between teams (Argo CD AppProjects)', () => {
  it("a team's project admits its own workspaces and clusters and nothing of another team's", async () => {
    const c = await compileExample('idp');
    const objects = c.manifests.map((m) => m.object);
    const projects = new Map(objects.filter((o) => o.kind === 'AppProject').map((p) => [p.metadata.name, (p as KubeObject & { spec: Project }).spec] as const));
    expect([...projects.keys()].sort()).toEqual(['p2c-platform', 'p2c-team-database', 'p2c-team-observability', 'p2c-team-webshop']);
    const webshop = projects.get('p2c-team-webshop')!;
    const database = projects.get('p2c-team-database')!;
    expect(permits(webshop, 'https://kcp.platform.example.com/clusters/root:team:webshop')).toBe(true);
    expect(permits(webshop, 'https://webshop.clusters.example.com')).toBe(true);
    // Team A's folder aimed at team B's workspace or cluster: refused by A's project.
    expect(permits(webshop, 'https://kcp.platform.example.com/clusters/root:team:database')).toBe(false);
    expect(permits(webshop, 'https://database.clusters.example.com')).toBe(false);
    expect(permits(database, 'https://kcp.platform.example.com/clusters/root:team:webshop')).toBe(false);
    // Only the platform may create workspaces; a team project allows no Workspace kind cluster-wide.
    expect(projects.get('p2c-platform')!.clusterResourceWhitelist).toContainEqual({ group: 'tenancy.kcp.io', kind: 'Workspace' });
    for (const team of ['p2c-team-database', 'p2c-team-observability', 'p2c-team-webshop']) {
      expect(projects.get(team)!.clusterResourceWhitelist, team).not.toContainEqual({ group: 'tenancy.kcp.io', kind: 'Workspace' });
      expect(projects.get(team)!.destinations.every((d) => d.server !== '*' && !d.server.includes('*')), team).toBe(true);
    }
  });

  it('naming one project for the whole mesh gives up the per-team projects', () => {
    const mesh = new Mesh(delivered({ gitops: { argocdProject: 'platform' } }));
    new Team(mesh, 'a').provide('api', { cluster: (mesh.node.findChild('a') as Team).addCluster('cluster', { name: 'a', server: 'https://a.clusters.example.com' }), crd: postgresCrd });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.manifests.filter((m) => m.object.kind === 'AppProject')).toEqual([]);
    expect(apps(c).every((a) => (a.spec as unknown as { project: string }).project === 'platform')).toBe(true);
  });
});
