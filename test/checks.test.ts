import { describe, expect, it } from 'vitest';
import { ApiObject, Chart } from 'cdk8s';
import { Mesh, Team, compile } from '../src/index.js';
import { delivered, codes, problems, smallMesh, elasticCrd, postgresCrd } from './support/mesh.js';

const all = ['events', 'namespaces', 'secrets'];

describe('graph checks (one test per rule)', () => {
  it('a valid small mesh has no problems', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: all });
    expect(problems(mesh)).toEqual([]);
  });

  it('P2C004: a claim neither accepted nor rejected is named, with construct path and file:line', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: ['events'] });
    const ds = problems(mesh).filter((d) => d.code === 'P2C004');
    expect(ds.map((d) => d.message)).toEqual([
      "binding 'database.example.com' does not accept claim 'namespaces' that 'database.example.com' makes (api-syncagent claims namespaces for related resources)",
      "binding 'database.example.com' does not accept claim 'secrets' that 'database.example.com' makes (related resource 'credentials')",
    ]);
    expect(ds[0]!.constructPath).toBe('webshop/postgres');
    expect(ds[0]!.location).toMatch(/^test\/checks\.test\.ts:\d+$/);
  });

  it('a rejected claim is written Rejected, not dropped', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces'], rejectClaims: ['secrets'] });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.files.get('kcp/root/team/webshop/manifest.yaml')).toMatch(/resource: secrets\n\s+selector:\n\s+matchAll: true\n\s+state: Rejected/);
  });

  it('P2C005: accepting a claim the export does not make', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: [...all, 'configmaps'] });
    expect(codes(mesh)).toEqual(['P2C005 unknown-claim']);
  });

  it('P2C003: binding an API nobody provides', () => {
    const { mesh, webshop } = smallMesh();
    webshop.bind('redis', { api: { path: 'root:team:cache', name: 'redis.example.com' }, acceptClaims: [] });
    expect(codes(mesh)).toEqual(['P2C003 unknown-export']);
  });

  it('P2C006: a related resource from another export without identityHash, fixed by the provider declaring it', () => {
    const build = (hash?: string) => {
      const { mesh, database, webshop, postgres } = smallMesh();
      const obs = new Team(mesh, 'observability');
      const elastic = obs.provide('elastic', {
        cluster: obs.addCluster('cluster', { name: 'observability', server: 'https://observability.clusters.example.com' }), crd: elasticCrd,
        related: [{ identifier: 'db', origin: 'kcp', group: 'database.example.com', version: 'v1alpha1', resource: 'postgreses', template: '{{ .Object.metadata.name }}' }],
      });
      void database; void postgres;
      if (hash) (postgres.props as { identityHash?: string }).identityHash = hash;
      webshop.bind('elastic', { api: elastic, acceptClaims: ['events', 'namespaces', 'postgreses.database.example.com'] });
      webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
      return mesh;
    };
    const ds = problems(build());
    expect(ds.map((d) => d.code)).toEqual(['P2C006']);
    expect(ds[0]!.message).toContain("claim 'postgreses.database.example.com' of 'observability.example.com'");
    expect(problems(build('8ac2d9f1e0'))).toEqual([]);
  });

  it('P2C001: invalid names (team, cluster, workspace path, export)', () => {
    const mesh = new Mesh(delivered());
    const t = new Team(mesh, 'Bad_Team', { workspace: 'root:team:Bad_Team' });
    t.addCluster('c', { name: 'has.dot', server: 'https://has-dot.clusters.example.com' });
    const ok = new Team(mesh, 'ok', { workspace: 'team:ok' });
    ok.provide('api', { cluster: ok.addCluster('c2', { name: 'ok', server: 'https://ok.clusters.example.com' }), crd: postgresCrd, exportName: 'Not A Name' });
    const messages = problems(mesh).filter((d) => d.code === 'P2C001').map((d) => d.message);
    expect(messages.some((m) => m.startsWith("team name 'Bad_Team'"))).toBe(true);
    expect(messages.some((m) => m.startsWith("workspace path 'root:team:Bad_Team' has segment 'Bad_Team'"))).toBe(true);
    expect(messages.some((m) => m.startsWith("cluster name 'has.dot'"))).toBe(true);
    expect(messages.some((m) => m.startsWith("workspace path 'team:ok' must start at root"))).toBe(true);
    expect(messages.some((m) => m.startsWith("export name 'Not A Name'"))).toBe(true);
  });

  it('P2C010: accepting a claim on another export\'s resource without binding that export', () => {
    const { mesh, webshop, postgres } = smallMesh();
    (postgres.props as { identityHash?: string }).identityHash = 'abc123';
    const op = webshop.addOperator('shop', { cluster: webshop.addCluster('cluster', { name: 'webshop', server: 'https://webshop.clusters.example.com' }), crd: elasticCrd, image: 'x:1', claims: [{ api: postgres }] });
    webshop.bind('shop-binding', { api: op, acceptClaims: ['postgreses.database.example.com'] });
    const ds = problems(mesh);
    expect(ds.map((d) => d.code)).toEqual(['P2C010']);
    expect(ds[0]!.message).toContain("accepts claim 'postgreses.database.example.com', but root:team:webshop does not bind the API serving it");
    webshop.bind('postgres', { api: postgres, acceptClaims: all });
    expect(problems(mesh)).toEqual([]);
  });

  it('P2C002: duplicate cluster names and duplicate bindings', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.addCluster('one', { name: 'database', server: 'https://database.clusters.example.com' });
    webshop.bind('a', { api: postgres, acceptClaims: all });
    webshop.bind('b', { api: postgres, acceptClaims: all });
    const messages = problems(mesh).filter((d) => d.code === 'P2C002').map((d) => d.message);
    expect(messages).toContain("cluster 'database' is declared twice");
    expect(messages).toContain("APIBinding 'database.example.com' in root:team:webshop is declared twice");
  });

  it('P2C007: a CRD file that does not exist or is not a CRD', () => {
    const mesh = new Mesh(delivered());
    const t = new Team(mesh, 'database');
    const c = t.addCluster('cluster', { name: 'db', server: 'https://db.clusters.example.com' });
    t.provide('missing', { cluster: c, crd: 'nope/postgres.yaml' });
    t.provide('inline', { cluster: c, crd: { apiVersion: 'v1', kind: 'ConfigMap' } as never, exportName: 'x.example.com' });
    const ds = problems(mesh).filter((d) => d.code === 'P2C007');
    expect(ds[0]!.message).toContain("CRD file 'nope/postgres.yaml' cannot be read");
    expect(ds[1]!.message).toContain('expected apiextensions.k8s.io/v1 CustomResourceDefinition');
  });

  it('P2C008: a team without workspace cannot export or bind through kcp', () => {
    const mesh = new Mesh(delivered());
    const t = new Team(mesh, 'edge', { workspace: false });
    t.provide('api', { cluster: t.addCluster('cluster', { name: 'edge', server: 'https://edge.clusters.example.com' }), crd: postgresCrd });
    expect(codes(mesh)).toContain('P2C008 no-workspace');
  });

  it('P2C009: publishing from another team\'s cluster', () => {
    const { mesh, webshop } = smallMesh();
    const other = webshop.addCluster('cluster', { name: 'webshop', server: 'https://webshop.clusters.example.com' });
    const db = mesh.node.findChild('database') as Team;
    db.provide('again', { cluster: other, crd: elasticCrd });
    expect(codes(mesh)).toEqual(['P2C009 foreign-cluster']);
  });

  it('binding an API into its own workspace is allowed (kcp serves it there only when bound)', () => {
    const { mesh, database, postgres } = smallMesh();
    database.bind('self', { api: postgres, acceptClaims: all });
    expect(problems(mesh)).toEqual([]);
  });

  it('P2C012: a Secret with data is never written', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'creds', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 'hunter2' } });
    const ds = problems(mesh);
    expect(ds.map((d) => d.code)).toEqual(['P2C012']);
    expect(ds[0]!.hint).toMatch(/reference it by name/);
  });

  it('P2C013: two different objects for one file', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kcp-api-syncagent', labels: { mine: 'yes' } } });
    expect(codes(mesh)).toEqual(['P2C013 output-collision']);
  });

  it('P2C018: a cdk8s object outside any workspace or cluster', () => {
    const { mesh } = smallMesh();
    new ApiObject(new Chart(mesh, 'loose'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(codes(mesh)).toEqual(['P2C018 no-owner']);
  });

  it('P2C011: an object that fails its schema names the field', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'bad', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: { replicas: 'many' } });
    const ds = problems(mesh);
    expect(new Set(ds.map((d) => d.code))).toEqual(new Set(['P2C011']));
    expect(ds.some((d) => d.message.includes('/spec/replicas: must be integer'))).toBe(true);
    expect(ds[0]!.constructPath).toBe('database/cluster/bad');
  });

  it('all problems of a mesh come out of one compile', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: ['events'] });
    webshop.bind('redis', { api: { path: 'root:x', name: 'redis.example.com' }, acceptClaims: [] });
    webshop.addCluster('Bad', { name: 'Bad', server: 'https://bad.clusters.example.com' });
    expect(new Set(codes(mesh).map((c) => c.split(' ')[0]))).toEqual(new Set(['P2C001', 'P2C003', 'P2C004']));
  });
});

describe('diagnostic order', () => {
  it('sorts by file, then line as a number (mesh.ts:6 before mesh.ts:14), findings without a place last', async () => {
    const { sortDiagnostics } = await import('../src/diagnostics/diagnostic.js');
    const d = (location: string | undefined, message: string) => ({ code: 'P2C011', name: 'invalid-object', message, ...(location ? { location } : {}) });
    const sorted = sortDiagnostics([d('mesh.ts:14', 'a'), d(undefined, 'b'), d('lib.ts:200', 'c'), d('mesh.ts:6', 'd'), d('mesh.ts:6', 'a')]);
    expect(sorted.map((x) => `${x.location ?? '-'} ${x.message}`)).toEqual(['lib.ts:200 c', 'mesh.ts:6 a', 'mesh.ts:6 d', 'mesh.ts:14 a', '- b']);
  });
});
