import { describe, expect, it } from 'vitest';
import { ApiObject, compile, Mesh, Team } from '../src/index.js';
import { graphCrd, kroPlural } from '../src/model/kro-crd.js';
import { delivered } from './support/mesh.js';
import { upstreamCatalog } from './support/oracle.js';

const loadBalancerSchema = {
  apiVersion: 'v1alpha1', kind: 'LoadBalancer', group: 'network.example.com',
  spec: { port: 'integer | required=true minimum=1 maximum=65535', protocol: 'string | default=TCP enum="TCP,UDP"', backend: 'Backend | required=true' },
  types: { Backend: { service: 'string | required=true', weights: 'map[string]integer', zones: '[]string' } },
};

/** The kube-bind docs' LoadBalancer integration: a KRO graph in the provider cluster, offered to consumers by kube-bind. */
function offered(graphCluster: 'edge' | 'other' = 'edge') {
  const mesh = new Mesh(delivered());
  const net = new Team(mesh, 'network');
  const edge = net.addCluster('edge', { name: 'edge', server: 'https://edge.example.com' });
  const other = net.addCluster('other', { name: 'other', server: 'https://other.example.com' });
  const graph = (graphCluster === 'edge' ? edge : other).addResourceGraph('lb', {
    schema: loadBalancerSchema,
    resources: [{ id: 'svc', template: { apiVersion: 'v1', kind: 'Service', metadata: { name: '${schema.metadata.name}' }, spec: { ports: [{ port: '${schema.spec.port}' }] } } }],
  });
  const offer = edge.addKubeBindBackend('backend').offer('lb', { api: graph });
  const shop = new Team(mesh, 'webshop');
  const consumer = shop.addCluster('shop', { name: 'shop', server: 'https://shop.example.com' });
  consumer.bindWithKubeBind('lb', { offer });
  return { mesh, consumer };
}

describe('a kube-bind offer of a KRO graph’s API', () => {
  it('offers the kind kro derives, after the graph, with the exported label set through the graph', () => {
    const c = compile(offered().mesh, { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    const template = c.manifests.find((m) => m.object.kind === 'APIServiceExportTemplate')!;
    expect(template.object.metadata.name).toBe('loadbalancers.network.example.com');
    expect(template.object['spec']).toMatchObject({ resources: [{ group: 'network.example.com', resource: 'loadbalancers', versions: ['v1alpha1'] }] });
    // One stage after the graph: kro makes the CRD once the graph is accepted.
    expect(template.target).toEqual({ type: 'cluster', name: 'edge', stage: 1 });
    const rgd = c.manifests.find((m) => m.object.kind === 'ResourceGraphDefinition')!;
    expect(rgd.target).toEqual({ type: 'cluster', name: 'edge' });
    expect((rgd.object['spec'] as { schema: { metadata?: unknown } }).schema.metadata).toEqual({ labels: { 'kube-bind.io/exported': 'true' } });
    expect(upstreamCatalog().validate(rgd.object)).toEqual([]);
    // Not restated: p2c installs no CRD of that kind anywhere, and asks nobody to label one.
    expect(c.manifests.some((m) => m.object.kind === 'CustomResourceDefinition' && m.object.metadata.name === 'loadbalancers.network.example.com')).toBe(false);
    expect(c.prerequisites.some((p) => p.title.startsWith('label the'))).toBe(false);
    // …except once, for a graph that existed before the offer: kro labels only a CRD it creates (pkg/client/crd.go).
    expect(c.prerequisites.map((p) => p.title)).toContain('the loadbalancers.network.example.com CRD kro made in cluster edge carries kube-bind.io/exported=true');
  });

  it("consumers' instances are checked against the derived contract: required fields and types, as kro would enforce", () => {
    const { mesh, consumer } = offered();
    new ApiObject(consumer, 'good', { apiVersion: 'network.example.com/v1alpha1', kind: 'LoadBalancer', metadata: { name: 'good', namespace: 'shop' }, spec: { port: 443, backend: { service: 'web' } } } as never);
    new ApiObject(consumer, 'bad', { apiVersion: 'network.example.com/v1alpha1', kind: 'LoadBalancer', metadata: { name: 'bad', namespace: 'shop' }, spec: { port: 'https', protocol: 'SCTP' } } as never);
    const found = compile(mesh).diagnostics;
    expect(found.every((d) => d.code === 'P2C011' && d.message.includes('LoadBalancer shop/bad')), JSON.stringify(found.map((d) => d.message))).toBe(true);
    const text = found.map((d) => d.message).join('\n');
    for (const problem of ['port', 'protocol', 'backend']) expect(text).toContain(problem);
  });

  it('offered from a backend in another cluster than the graph: P2C022', () => {
    expect(compile(offered('other').mesh).diagnostics.map((d) => d.code)).toContain('P2C022');
  });
});

describe('SimpleSchema kro would refuse (markers.go, parse.go), each reported at the graph with its field', () => {
  const refused: Record<string, string> = {
    'integer | default=abc': 'default must be an integer',
    'boolean | enum="true,false"': 'enum is only for string and integer fields',
    'integer | enum="1,two"': 'enum values of an integer field must be integers',
    'integer | pattern="^a"': 'pattern is only for string fields',
    'string | uniqueItems=true': 'uniqueItems is only for list fields',
    '[]string | listType=bag': 'listType must be atomic, set or map',
    'string | required=yes': 'required must be true or false',
    'string | colour=blue': "unknown marker 'colour'",
    number: "unknown type 'number'",
    'Missing': "unknown type 'Missing'",
  };
  it.each(Object.entries(refused))('%s', (field, why) => {
    const mesh = new Mesh(delivered());
    const cluster = new Team(mesh, 'net').addCluster('edge', { name: 'edge', server: 'https://edge.example.com' });
    cluster.addResourceGraph('lb', { schema: { apiVersion: 'v1alpha1', kind: 'LoadBalancer', group: 'network.example.com', spec: { port: field } }, resources: [] });
    const found = compile(mesh).diagnostics;
    expect(found.map((d) => d.code)).toEqual(['P2C017']);
    expect(found[0]!.message).toContain(`schema spec.port: ${why}`);
    expect(found[0]!.location).toMatch(/kube-bind-kro\.test\.ts:\d+$/);
  });

  it('a custom type that refers to itself', () => {
    const mesh = new Mesh(delivered());
    const cluster = new Team(mesh, 'net').addCluster('edge', { name: 'edge', server: 'https://edge.example.com' });
    cluster.addResourceGraph('lb', { schema: { apiVersion: 'v1alpha1', kind: 'LoadBalancer', group: 'network.example.com', spec: { node: 'Node' }, types: { Node: { next: 'Node' } } }, resources: [] });
    expect(compile(mesh).diagnostics.map((d) => d.message).join('\n')).toContain('type Node refers to itself');
  });
});

describe('the CRD kro derives from a SimpleSchema (kro v0.9.3 simpleschema/transform.go, graph/crd/crd.go)', () => {
  it('names it <plural of the lower-case kind>.<group>, as gobuffalo/flect v1.0.3 pluralizes', () => {
    const cases: Record<string, string> = {
      LoadBalancer: 'loadbalancers', Policy: 'policies', Gateway: 'gateways', Box: 'boxes', Match: 'matches', Mesh: 'meshes', Class: 'classes',
      // A word ending in s stays, unless a rule says otherwise (-us, -ss, -sis).
      Redis: 'redis', Postgres: 'postgres', DNS: 'dns', Status: 'statuses', Bus: 'buses', Analysis: 'analyses',
      Repo: 'repoes', Photo: 'photos', Radio: 'radios', Leaf: 'leaves', Knife: 'knives', Index: 'indices', Person: 'people', Medium: 'media',
    };
    expect(Object.fromEntries(Object.keys(cases).map((k) => [k, kroPlural(k)]))).toEqual(cases);
  });

  it('markers as kro reads them: quoted values with escapes, bracketed values with spaces, list and CEL markers, required aliases, scope', () => {
    const crd = graphCrd({
      schema: {
        apiVersion: 'v1', kind: 'Site', group: 'web.example.com', scope: 'Cluster',
        spec: {
          path: 'string | pattern="^\\d+$" description="a \\"quoted\\" path"',
          tags: '[]string | default=["a", "b"] uniqueItems=true',
          ports: '[]integer | listType=atomic',
          name: 'string | immutable=true validation="self.size() < 10"',
          owner: 'Owner',
        },
        types: { Owner: 'string | required=true' },
      },
    });
    const v = (crd['spec'] as { scope: string; versions: Array<{ additionalPrinterColumns: Array<{ name: string }>; schema: { openAPIV3Schema: { properties: { spec: { required: string[]; properties: Record<string, Record<string, unknown>> } } } } }> });
    expect(v.scope).toBe('Cluster');
    const spec = v.versions[0]!.schema.openAPIV3Schema.properties.spec;
    expect(spec.properties['path']).toEqual({ type: 'string', pattern: '^\\d+$', description: 'a "quoted" path' });
    expect(spec.properties['tags']).toEqual({ type: 'array', items: { type: 'string' }, default: ['a', 'b'], 'x-kubernetes-list-type': 'set' });
    expect(spec.properties['ports']).toMatchObject({ 'x-kubernetes-list-type': 'atomic' });
    expect(spec.properties['name']!['x-kubernetes-validations']).toEqual([{ rule: 'self == oldSelf', message: 'field is immutable' }, { rule: 'self.size() < 10', message: 'validation failed' }]);
    expect(spec.required).toEqual(['owner']);
    expect(v.versions[0]!.additionalPrinterColumns.map((c) => c.name)).toEqual(['State', 'Ready', 'Age']);
  });

  it('types, markers, custom types, lists and maps become the spec schema', () => {
    const crd = graphCrd({ schema: loadBalancerSchema });
    expect(crd.metadata.name).toBe('loadbalancers.network.example.com');
    const spec = (crd['spec'] as { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: unknown } } } }> }).versions[0]!.schema.openAPIV3Schema.properties.spec;
    expect(spec).toEqual({
      type: 'object',
      required: ['backend', 'port'],
      properties: {
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        protocol: { type: 'string', default: 'TCP', enum: ['TCP', 'UDP'] },
        backend: { type: 'object', required: ['service'], properties: { service: { type: 'string' }, weights: { type: 'object', additionalProperties: { type: 'integer' } }, zones: { type: 'array', items: { type: 'string' } } } },
      },
    });
  });
});
