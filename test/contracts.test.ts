import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { compile, InstalledAPI, Mesh, Team, type ComputeCluster, type Workspace } from '../src/index.js';
import { delivered, elasticCrd, postgresCrd, smallMesh } from './support/mesh.js';
import { repoRoot } from './support/paths.js';

const postgres = (spec: Record<string, unknown>, apiVersion = 'database.example.com/v1alpha1') =>
  ({ apiVersion, kind: 'Postgres', metadata: { name: 'orders', namespace: 'shop' }, spec });
const valid = { version: '16', storage: '20Gi', connectionSecretName: 'orders-conn' };
const invalid = { version: '99', storage: '20Gi', bogus: 1 };
const messages = (mesh: Mesh) => compile(mesh).diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');

/** The three places an instance of a provided API can live. */
function places() {
  const consumerWorkspace = () => {
    const { mesh, webshop, postgres: api } = smallMesh();
    webshop.bind('postgres', { api, acceptClaims: ['events', 'namespaces', 'secrets'] });
    return { mesh, scope: webshop.workspace! as Workspace | ComputeCluster, folder: 'kcp/root/team/webshop/_stage-1' };
  };
  const providerCluster = () => {
    const { mesh, cluster } = smallMesh();
    return { mesh, scope: cluster as Workspace | ComputeCluster, folder: 'clusters/database' };
  };
  const kubeBindConsumer = () => {
    const mesh = new Mesh(delivered());
    const provider = new Team(mesh, 'provider', { workspace: false });
    const shop = new Team(mesh, 'shop', { workspace: false });
    const backend = provider.addCluster('cluster', { name: 'provider', server: 'https://p.example.com' }).addKubeBindBackend('kube-bind', {});
    const offer = backend.offer('postgres', { api: postgresCrd, claims: [{ resource: 'secrets', reference: 'spec.connectionSecretName' }] });
    const consumer = shop.addCluster('cluster', { name: 'consumer', server: 'https://c.example.com' });
    consumer.bindWithKubeBind('postgres', { offer, kubeconfigSecret: 'kubeconfig-provider' });
    return { mesh, scope: consumer as Workspace | ComputeCluster, folder: 'clusters/consumer/_stage-2' };
  };
  return [['a consumer workspace (APIBinding)', consumerWorkspace], ['the provider cluster (installed CRD)', providerCluster], ['a kube-bind consumer cluster', kubeBindConsumer]] as const;
}

describe('every instance honours the provider\'s contract where it lands', () => {
  for (const [where, make] of places()) {
    it(`in ${where}: a valid Postgres passes and is applied after what makes its kind exist`, () => {
      const { mesh, scope, folder } = make();
      new ApiObject(scope, 'orders', postgres(valid));
      const c = compile(mesh);
      expect(c.diagnostics).toEqual([]);
      expect(c.layout.folders.get(folder)?.map((p) => p.object.kind)).toContain('Postgres');
    });
    it(`in ${where}: version "99" and an unknown field are refused, naming the contract`, () => {
      const { mesh, scope } = make();
      new ApiObject(scope, 'orders', postgres(invalid));
      const text = messages(mesh);
      expect(text).toMatch(/P2C011 Postgres shop\/orders .*breaks the contract of .*\/spec\/version: must be equal to one of the allowed values \["15","16","17"\]/);
      expect(text).toMatch(/P2C011 Postgres shop\/orders .*additional properties 'bogus'/);
    });
  }

  it('a kind the workspace does not bind is refused, naming the binding it lacks', () => {
    const mesh = new Mesh(delivered());
    const db = new Team(mesh, 'database');
    const obs = new Team(mesh, 'observability');
    const shop = new Team(mesh, 'webshop');
    const pg = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://d.example.com' }), crd: postgresCrd, related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName' }] });
    obs.provide('elastic', { cluster: obs.addCluster('cluster', { name: 'observability', server: 'https://o.example.com' }), crd: elasticCrd });
    shop.bind('postgres', { api: pg, acceptClaims: ['events', 'namespaces', 'secrets'] });
    new ApiObject(shop.workspace!, 'es', { apiVersion: 'observability.example.com/v1alpha1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'shop' }, spec: { nodes: 1 } });
    const text = messages(mesh);
    expect(text).toMatch(/P2C015 Elasticsearch shop\/logs .* is not available in workspace root:team:webshop/);
    const d = compile(mesh).diagnostics.find((x) => x.code === 'P2C015')!;
    expect(d.hint).toContain('observability.example.com (in root:team:observability)');
  });

  it('a version the CRD does not serve is refused, for instances and KRO templates alike', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'orders', postgres(valid, 'database.example.com/v1'));
    cluster.addResourceGraph('stack', {
      schema: { apiVersion: 'v1alpha1', kind: 'Stack', group: 'example.com', spec: { name: 'string' } },
      resources: [{ id: 'db', template: { apiVersion: 'database.example.com/v2', kind: 'Postgres', metadata: { name: '${schema.spec.name}' }, spec: valid } }],
    });
    const text = messages(mesh);
    expect(text).toMatch(/P2C015 Postgres shop\/orders .*serves Postgres only as v1alpha1/);
    expect(text).toMatch(/P2C015 KRO graph '[^']+' resource 'db' uses database\.example\.com\/v2 Postgres, but cluster 'database' serves Postgres only as v1alpha1/);
  });

  it('a kind nobody in the mesh serves is refused until declared as installed by someone else', () => {
    const build = (declare?: (c: ComputeCluster) => void) => {
      const { mesh, cluster } = smallMesh();
      declare?.(cluster);
      new ApiObject(cluster, 'gw', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'shop' }, spec: { gatewayClassName: 'x', listeners: [] } });
      cluster.addResourceGraph('routes', {
        schema: { apiVersion: 'v1alpha1', kind: 'Site', group: 'example.com', spec: { name: 'string' } },
        resources: [{ id: 'route', template: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: '${schema.spec.name}' }, spec: {} } }],
      });
      return compile(mesh).diagnostics;
    };
    const without = build();
    expect(without.map((d) => d.code).filter((c) => c === 'P2C015')).toHaveLength(2);
    expect(without.find((d) => d.message.includes('Gateway'))!.hint).toContain('new InstalledAPI(cluster');
    expect(build((c) => new InstalledAPI(c, 'gateway-api', { group: 'gateway.networking.k8s.io', kinds: ['Gateway', 'HTTPRoute'] }))).toEqual([]);
    // Declared with a CRD, objects are checked against it.
    const withCrd = (spec: object) => {
      const { mesh, cluster } = smallMesh();
      new InstalledAPI(cluster, 'elastic-operator', { crd: elasticCrd });
      new ApiObject(cluster, 'es', { apiVersion: 'observability.example.com/v1alpha1', kind: 'Elasticsearch', metadata: { name: 'logs', namespace: 'shop' }, spec });
      return messages(mesh);
    };
    expect(withCrd({ nodes: 1, bogus: true })).toMatch(/P2C011 Elasticsearch shop\/logs .*installed by someone else.*'bogus'/);
  });

  it('an InstalledAPI names its CRD or a group with kinds, and sits in a cluster or workspace', () => {
    const mesh = new Mesh(delivered());
    const team = new Team(mesh, 'a');
    new InstalledAPI(team.addCluster('cluster', { name: 'a', server: 'https://a.example.com' }), 'x', {});
    expect(messages(mesh)).toMatch(/P2C017 an InstalledAPI names its CRD, or a group and its kinds/);
    void path; void repoRoot;
  });
});

describe('references into the provider\'s CRD', () => {
  it('a related resource reference must name a string field of every served version', () => {
    const build = (reference: string) => {
      const mesh = new Mesh(delivered());
      const db = new Team(mesh, 'database');
      db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://d.example.com' }), crd: postgresCrd, related: [{ identifier: 'credentials', origin: 'service', reference }] });
      return compile(mesh).diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
    };
    expect(build('spec.connectionSecretName')).toBe('');
    expect(build('spec.conectionSecretName')).toMatch(/P2C032 related resource 'credentials' .*v1alpha1 has no field spec\.conectionSecretName/);
    expect(build('spec')).toMatch(/P2C032 .*spec is object in v1alpha1, not a string/);
  });

  it('so must a kube-bind claim reference', () => {
    const mesh = new Mesh(delivered());
    const provider = new Team(mesh, 'provider', { workspace: false });
    const backend = provider.addCluster('cluster', { name: 'provider', server: 'https://p.example.com' }).addKubeBindBackend('kube-bind', {});
    backend.offer('postgres', { api: postgresCrd, claims: [{ resource: 'secrets', reference: 'spec.secretName' }] });
    expect(compile(mesh).diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')).toMatch(/P2C032 kube-bind claim on secrets of offer .*has no field spec\.secretName/);
  });
});

describe('claims a consumer rejects that the API depends on', () => {
  it('rejecting secrets of an API whose related Secret is its point is a warning, not an error', () => {
    const { mesh, webshop, postgres: api } = smallMesh();
    webshop.bind('postgres', { api, acceptClaims: ['events', 'namespaces'], rejectClaims: ['secrets'] });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.warnings.map((w) => `${w.code} ${w.message}`).join('\n')).toMatch(/P2C033 binding 'database.example.com' rejects the secrets claim, so api-syncagent cannot sync the related secrets 'credentials'/);
    expect(c.warnings[0]!.severity).toBe('warning');
  });

  it('accepting it gives no warning; the CLI prints warnings and still writes', async () => {
    const { mesh, webshop, postgres: api } = smallMesh();
    webshop.bind('postgres', { api, acceptClaims: ['events', 'namespaces', 'secrets'] });
    expect(compile(mesh).warnings).toEqual([]);
    const { formatDiagnostic } = await import('../src/diagnostics/diagnostic.js');
    const m2 = smallMesh();
    m2.webshop.bind('postgres', { api: m2.postgres, acceptClaims: ['events', 'namespaces'], rejectClaims: ['secrets'] });
    expect(formatDiagnostic(compile(m2.mesh).warnings[0]!)).toMatch(/warning P2C033 rejected-dependency:/);
  });
});
