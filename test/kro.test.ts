import { describe, expect, it } from 'vitest';
import { compile, InstalledAPI, Mesh, Team, type GraphResource } from '../src/index.js';
import { referencedNames } from '../src/check/kro.js';
import { compileExample } from './support/examples.js';
import { delivered, postgresCrd } from './support/mesh.js';

/** A cluster with the Postgres CRD installed (through kube-bind from a provider), and a graph on it. */
function meshWithGraph(resources: GraphResource[], options: { bind?: boolean; spec?: Record<string, unknown> } = {}) {
  const mesh = new Mesh(delivered());
  const provider = new Team(mesh, 'p', { workspace: false }).addCluster('cluster', { name: 'provider', server: 'https://provider.clusters.example.com' });
  const consumer = new Team(mesh, 'c', { workspace: false }).addCluster('cluster', { name: 'consumer', server: 'https://consumer.clusters.example.com' });
  const offer = provider.addKubeBindBackend('kb').offer('pg', { api: postgresCrd });
  if (options.bind !== false) consumer.bindWithKubeBind('pg', { offer });
  consumer.addResourceGraph('app', { schema: { apiVersion: 'v1alpha1', kind: 'App', spec: options.spec ?? { name: 'string' } }, resources });
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

describe('kro expressions in the forms kro v0.9.3 examples use', () => {
  // Forms taken from kubernetes-sigs/kro v0.9.3 examples/ (webapp, cel-functions, networkstack, eks-cluster-mgmt,
  // saas-multi-tenant …), written anew here. A scan of all 59 of its graphs (scanKroExamples below) finds one
  // reference: examples/aws/ack-eks-cluster/eks-reused.yaml reads `spc.version`, and no resource is called spc.
  const cases: Array<[string, string[]]> = [
    ['schema.spec.name', ['schema']],
    ['deployment.status.availableReplicas * 10', ['deployment']],
    ["cert.status.state == 'ISSUED' ? cert.status.arn : null", ['cert']],
    ['!schema.spec.vpc.create', ['schema']],
    ['job.status.completionTime != null', ['job']],
    ['string(schema.spec.delay)', ['schema']],
    ['subnets.map(s, s.status.subnetID)', ['subnets']],
    ["vpc.status.conditions.exists(x, x.type == 'Ready' && x.status == \"True\")", ['vpc']],
    ['items.filter(i, i.ready).all(i, i.name != "")', ['items']],
    ['lists.range(size(schema.spec.zones))', ['lists', 'schema']],
    ["schema.spec.dns.split('.').slice(0, 1).join('.')", ['schema']],
    ['bucket.status.arn.substring(13)', ['bucket']],
    ['string([100, 200, 300].sum())', []],
    ['json.marshal({"name": schema.spec.name, "ns": ns.metadata.name})', ['json', 'schema', 'ns']],
    ['quantity("500Mi").isLessThan(quantity("1Gi")) ? "small" : "large"', []],
    ['random.seededString(10, schema.metadata.uid)', ['random', 'schema']],
    ['base64.encode(hash.fnv64a(schema.spec.name))', ['base64', 'hash', 'schema']],
    ["schema.spec.vpcName + '-public-' + string(idx + 1)", ['schema', 'idx']],
    ['cel.bind(n, schema.spec.name, n + "-x")', ['cel', 'schema']],
    ['zone', ['zone']],
    ['has(password.data)', ['password']],
    ['bucket.status.conditions[0].status == "True"', ['bucket']],
  ];
  // Library namespaces (lists, json, hash …) are names too; the graph check knows them as kro's libraries.
  it.each(cases)('%s reads %j', (expression, names) => {
    expect(referencedNames(expression).sort()).toEqual([...names].sort());
  });

  it('expressions are found with braces matched and quoted strings skipped, as kro extracts them', async () => {
    const { expressionsIn, standaloneExpression } = await import('../src/model/kro.js');
    expect(expressionsIn('${json.marshal({"a": b.c})}-${"}"}')).toEqual(['json.marshal({"a": b.c})', '"}"']);
    expect(standaloneExpression('${json.marshal({"a": 1})}')).toBe('json.marshal({"a": 1})');
    expect(standaloneExpression('${a}-${b}')).toBeUndefined();
    expect(standaloneExpression('x-${a}')).toBeUndefined();
  });

  it('a collection reads its forEach iterators, and the lists they walk depend on other resources', () => {
    const zones: GraphResource = {
      id: 'zones', forEach: [{ zone: '${schema.spec.zones}' }],
      template: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '${schema.spec.name + "-" + zone}' }, data: { zone: '${zone}' } },
    };
    expect(meshWithGraph([zones], { spec: { name: 'string', zones: '[]string' } }).diagnostics).toEqual([]);
    const typo = { ...zones, template: { ...zones.template, data: { zone: '${zonee}' } } };
    const c = meshWithGraph([typo], { spec: { name: 'string', zones: '[]string' } });
    expect(c.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("references 'zonee'")]);
  });

  it("P2C016: reading a field the graph's own schema does not declare (kro type-checks schema.spec)", () => {
    const c = meshWithGraph([cm('settings', { name: '${schema.spec.nmae}' })]);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['P2C016']);
    expect(c.diagnostics[0]!.message).toBe("KRO graph 'apps.kro.run' resource 'settings' reads schema.spec.nmae, which the graph's schema does not declare");
    expect(meshWithGraph([cm('settings', { name: '${schema.spec.name}', uid: '${schema.metadata.uid}' })]).diagnostics).toEqual([]);
  });

  const checkout = process.env['P2C_KRO_CHECKOUT'];
  it.skipIf(!checkout)('kro v0.9.3 examples: P2C016 finds only the one real dangling reference (set P2C_KRO_CHECKOUT to a kro checkout)', async () => {
    const { scanKroExamples } = await import('./support/kro-examples.js');
    const { graphs, findings } = scanKroExamples(checkout!);
    expect(graphs).toBeGreaterThan(50);
    expect(findings).toEqual([
      expect.stringMatching(/eks-reused\.yaml: .*'cluster1' references 'spc'/),
      expect.stringMatching(/eks-reused\.yaml: .*'cluster2' references 'spc'/),
    ]);
  });
});

describe('KRO templates honour the schema of their kind (kro v0.9.3 pkg/graph/parser, then the API server)', () => {
  const spec = { name: 'string', size: 'integer | default=1', tier: 'string', big: 'boolean' };
  const messages = (resources: GraphResource[]) => meshWithGraph(resources, { spec }).diagnostics.map((d) => `${d.code} ${d.message}`);

  it("a provider's CRD: literal values are checked fully, unknown and missing fields too", () => {
    const bad: GraphResource = { id: 'db', template: { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'db' }, spec: { version: '99', bogus: 1 } } };
    const prefix = "P2C011 KRO graph 'apps.kro.run' resource 'db' template breaks the contract of kube-bind binding 'postgreses.database.example.com': ";
    expect(messages([bad])).toEqual([
      `${prefix}/spec/version: must be equal to one of the allowed values ["15","16","17"]`,
      `${prefix}/spec: must NOT have additional properties 'bogus'`,
      `${prefix}/spec: must have required property 'storage'`,
    ]);
  });

  it('a whole-value expression stands for a value of its type: fine where it fits, an error where kro knows it does not', () => {
    expect(messages([pg('db', { version: '${schema.spec.tier}', storage: '${schema.spec.tier}' })])).toEqual([]);
    const typed: GraphResource = { id: 'web', template: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: '${schema.spec.size}', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: '${schema.spec.name}' }] } } } } };
    expect(messages([typed])).toEqual([]);
    const wrong = JSON.parse(JSON.stringify(typed).replace('${schema.spec.size}', '${schema.spec.name}')) as GraphResource;
    expect(messages([wrong])).toEqual([expect.stringMatching(/resource 'web' template breaks the contract of Deployment \(apps\/v1\): \/spec\/replicas: \$\{schema\.spec\.name\} is string, but the field must be integer \(kro rejects the graph: type mismatch\)$/)]);
    // An expression p2c cannot type (another resource's status, a computation) is given the benefit of the doubt.
    const unknown = JSON.parse(JSON.stringify(typed).replace('${schema.spec.size}', '${schema.spec.size * 2}')) as GraphResource;
    expect(messages([unknown])).toEqual([]);
  });

  it('a string with an expression inside fills only string fields, and its pattern or enum is known only at run time', () => {
    expect(messages([pg('db', { storage: '${schema.spec.tier}Gi', version: 'v${schema.spec.tier}' })])).toEqual([]);
    const replicas: GraphResource = { id: 'web', template: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: '${schema.spec.size}0', selector: {}, template: { spec: { containers: [] } } } } };
    expect(messages([replicas])).toEqual([expect.stringContaining('/spec/replicas: must be integer: a string with ${…} inside is a string')]);
  });

  it('an object filled by one expression is not checked inside; a missing required field beside expressions is', () => {
    expect(messages([pg('db', { version: undefined, storage: undefined }), { id: 'x', template: { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'x' }, spec: '${db.spec}' } }]))
      .toEqual([expect.stringContaining("resource 'db' template breaks the contract of kube-bind binding 'postgreses.database.example.com': /spec: must have required property 'storage'"), expect.stringContaining("/spec: must have required property 'version'")]);
  });

  it('a kind known only by name (declared by someone else, another graph) has no schema to check', () => {
    const mesh = new Mesh(delivered());
    const cluster = new Team(mesh, 't', { workspace: false }).addCluster('c', { name: 'c', inCluster: true });
    new InstalledAPI(cluster, 'gw', { group: 'gateway.networking.k8s.io', kinds: ['HTTPRoute'], versions: ['v1'] });
    cluster.addResourceGraph('app', { schema: { apiVersion: 'v1alpha1', kind: 'App', spec: { name: 'string' } }, resources: [
      { id: 'route', template: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { anything: 1 } } },
    ] });
    expect(compile(mesh).diagnostics).toEqual([]);
  });
});
