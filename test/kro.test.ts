import { describe, expect, it } from 'vitest';
import { compile, Mesh, Team, type GraphResource } from '../src/index.js';
import { referencedNames } from '../src/check/kro.js';
import { compileExample } from './support/examples.js';
import { postgresCrd } from './support/mesh.js';

/** A cluster with the Postgres CRD installed (through kube-bind from a provider), and a graph on it. */
function meshWithGraph(resources: GraphResource[], options: { bind?: boolean } = {}) {
  const mesh = new Mesh();
  const provider = new Team(mesh, 'p', { workspace: false }).addCluster('cluster', { name: 'provider', server: 'https://provider.clusters.example.com' });
  const consumer = new Team(mesh, 'c', { workspace: false }).addCluster('cluster', { name: 'consumer', server: 'https://consumer.clusters.example.com' });
  const offer = provider.addKubeBindBackend('kb').offer('pg', { api: postgresCrd });
  if (options.bind !== false) consumer.bindWithKubeBind('pg', { offer });
  consumer.addResourceGraph('app', { schema: { apiVersion: 'v1alpha1', kind: 'App', spec: { name: 'string' } }, resources });
  return compile(mesh);
}

const pg = (id: string, extra: Record<string, unknown> = {}): GraphResource => ({
  id, template: { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: '${schema.spec.name}' }, spec: { version: '16', storage: '1Gi', ...extra } },
});
const cm = (id: string, data: Record<string, string>): GraphResource => ({ id, template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id }, data } });

describe('KRO ResourceGraphDefinitions', () => {
  it('the idp observability graph composes Postgres (from kube-bind) and Elastic (local CRD)', async () => {
    const c = await compileExample('idp');
    const rgd = c.layout.folders.get('clusters/observability/_stage-2')!.map((p) => p.object).find((o) => o.kind === 'ResourceGraphDefinition')!;
    expect(rgd.metadata.name).toBe('loggingstacks.observability.example.com');
    const spec = rgd['spec'] as { schema: { kind: string; group: string }; resources: Array<{ id: string; template: { kind: string } }> };
    expect(spec.schema).toMatchObject({ kind: 'LoggingStack', group: 'observability.example.com' });
    expect(spec.resources.map((r) => `${r.id}:${r.template.kind}`)).toEqual(['database:Postgres', 'elastic:Elasticsearch']);
  });

  it('a graph using a kind that arrives through kube-bind goes to the stage after the binding, not a sync wave', async () => {
    // kubernetes-sigs/kro v0.9.3: a graph whose child CRD is missing is marked invalid and retried with backoff (up to
    // ~16 min); no wave can gate on an APIServiceBinding, which has no Argo CD health check. A stage folder can:
    // Flux waits for the binding's Ready condition before the next Kustomization, Argo CD retries the app.
    const c = await compileExample('idp');
    const at = (folder: string) => c.layout.folders.get(folder)!.map((p) => p.object.kind);
    expect(at('clusters/observability/_stage-1')).toEqual(['APIServiceBinding']);
    expect(at('clusters/observability/_stage-2')).toEqual(['ResourceGraphDefinition']);
    const dependsOn = c.mesh.applyOrder.dependsOn;
    expect(dependsOn.get('clusters/observability/_stage-2')).toContain('clusters/observability/_stage-1');
    expect(dependsOn.get('clusters/observability/_stage-1')).toContain('clusters/observability');
    const rgd = c.layout.folders.get('clusters/observability/_stage-2')![0]!.object;
    expect(rgd.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBeUndefined();
  });

  it('P2C015: a template kind not available in the cluster', () => {
    const c = meshWithGraph([pg('db')], { bind: false });
    expect(c.diagnostics.map((d) => d.code)).toEqual(['P2C015']);
    expect(c.diagnostics[0]!.message).toBe("KRO graph 'apps.kro.run' resource 'db' uses database.example.com/v1alpha1 Postgres, which is not available in cluster 'consumer'");
    expect(meshWithGraph([pg('db')]).diagnostics).toEqual([]);
  });

  it('built-in kinds need no CRD', () => {
    expect(meshWithGraph([cm('settings', { a: 'b' })]).diagnostics).toEqual([]);
  });

  it('P2C016: a reference to an id that does not exist', () => {
    const c = meshWithGraph([pg('db'), cm('settings', { endpoint: '${dbb.status.endpoint}' })]);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['P2C016']);
    expect(c.diagnostics[0]!.message).toContain("references 'dbb', which is not a resource id");
  });

  it('P2C014: resources referencing each other in a cycle', () => {
    const c = meshWithGraph([cm('a', { x: '${b.data.x}' }), cm('b', { x: '${c.data.x}' }), cm('c', { x: '${a.data.x}' })]);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['P2C014']);
    expect(c.diagnostics[0]!.message).toContain('a → b → c → a');
  });

  it('reports all graph problems of a mesh together', () => {
    const c = meshWithGraph([pg('db', { x: '${nope.y}' }), cm('a', { x: '${b.data.x}' }), cm('b', { x: '${a.data.x}' })], { bind: false });
    expect(new Set(c.diagnostics.map((d) => d.code))).toEqual(new Set(['P2C014', 'P2C015', 'P2C016']));
  });

  it('finds referenced ids, ignoring string literals and library calls', () => {
    expect(referencedNames("db.status.endpoint + '.svc' + schema.spec.name")).toEqual(['db', 'schema']);
    expect(referencedNames("'x.y' == a[0] && size(b.c) > 0 && d.?e")).toEqual(['a', 'b', 'd']);
  });
});

describe('kro expressions name the resources they read', () => {
  it('optional access, index access, has() and string literals', async () => {
    const { referencedNames } = await import('../src/check/kro.js');
    const cases: Array<[string, string[]]> = [
      ['configmap.?data["k"]', ['configmap']],
      ['configmap.?data.?key.orValue("x")', ['configmap']],
      ['db?.status.endpoint', ['db']],
      ['has(db.status.endpoint) ? db.status.endpoint : "none.example.com"', ['db']],
      ['schema.spec.items[0].name + "-" + deployment.metadata.name', ['schema', 'deployment']],
      ['"db.status.endpoint is not read" + schema.spec.name', ['schema']],
      ["size(schema.spec.list) > 0 && secret.data['password'] != ''", ['schema', 'secret']],
    ];
    for (const [e, names] of cases) expect(referencedNames(e).sort(), e).toEqual([...names].sort());
  });
});
