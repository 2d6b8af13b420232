import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { compile, Mesh, Team, type CustomResourceDefinition, type ProvidedAPIProps } from '../src/index.js';
import { delivered, postgresCrd } from './support/mesh.js';
import { upstreamCatalog } from './support/oracle.js';

function published(publish: ProvidedAPIProps['publish']) {
  const mesh = new Mesh(delivered());
  const db = new Team(mesh, 'database');
  const api = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd, ...(publish ? { publish } : {}) });
  new Team(mesh, 'webshop').bind('postgres', { api, acceptClaims: ['events'] });
  return compile(mesh, { catalog: upstreamCatalog() });
}

describe('a changed projection is a breaking change of the contract (consumers\' objects of the old kind are orphaned)', () => {
  it('fails review as unintended unless the provider says so', async () => {
    const { reviewBetween } = await import('../src/review/report.js');
    const { unintended } = await import('../src/review/contracts.js');
    const files = (c: ReturnType<typeof published>) => new Map(c.files);
    const before = files(published(undefined));
    const renamed = reviewBetween(before, files(published([{ projection: { kind: 'Database' } }])));
    expect(unintended(renamed.contracts)).toEqual([expect.objectContaining({ api: 'postgreses.database.example.com', rule: 'projection changed', consumers: ['workspace root:team:webshop'] })]);
    // Short names are cosmetic: not a break.
    expect(reviewBetween(before, files(published([{ projection: { shortNames: ['pg'] } }]))).contracts).toEqual([]);
  });
});

describe('PublishedResource options (api-syncagent v0.7.0 PublishedResourceSpec)', () => {
  it('name, filter and mutation are written as given, and the object stays valid against the upstream CRD', () => {
    const c = published([{
      name: 'publish-postgres',
      filter: { resource: { matchLabels: { tier: 'gold' } } },
      mutation: { spec: [{ delete: { path: 'spec.debug' } }], status: [{ regex: { path: 'status.host', pattern: '\\.internal$', replacement: '' } }] },
    }]);
    expect(c.diagnostics).toEqual([]);
    const pr = c.manifests.find((m) => m.object.kind === 'PublishedResource')!.object;
    expect(pr.metadata.name).toBe('publish-postgres');
    expect(pr['spec']).toMatchObject({
      filter: { resource: { matchLabels: { tier: 'gold' } } },
      mutation: { spec: [{ delete: { path: 'spec.debug' } }] },
    });
    expect(upstreamCatalog().validate(pr)).toEqual([]);
  });

  it('a projection renames what kcp serves: consumers see the projected kind, the service cluster keeps its CRD', () => {
    const c = published([{ projection: { kind: 'Database', group: 'db.example.org', versions: { v1alpha1: 'v1' } } }]);
    expect(c.diagnostics).toEqual([]);
    const crd = c.manifests.find((m) => m.object.kind === 'CustomResourceDefinition' && m.target.type === 'cluster' && (m.object['spec'] as { group: string }).group === 'database.example.com');
    expect(crd, 'the original CRD is installed in the service cluster').toBeDefined();
    const pr = c.manifests.find((m) => m.object.kind === 'PublishedResource')!.object;
    expect(pr['spec']).toMatchObject({ resource: { apiGroup: 'database.example.com', kind: 'Postgres' }, projection: { kind: 'Database', group: 'db.example.org' } });
    const inConsumer = c.mesh.availability.get('kcp/root/team/webshop')!;
    expect([...inConsumer.keys()]).toEqual(['db.example.org/Database']);
    // kind set → plural `<lower-case kind>s`, listKind, singular (internal/projection/projection.go projectCRDNames).
    const served = c.mesh.exports[0]!.resources[0]!;
    expect([served.plural, served.versions]).toEqual(['databases', ['v1']]);
    expect((served.crd['spec'] as { names: Record<string, string> }).names).toMatchObject({ kind: 'Database', listKind: 'DatabaseList', singular: 'database', plural: 'databases' });
  });

  it('renamed versions are in the agent\'s order (least stable first); two versions renamed alike are P2C017', () => {
    const crd = parse(fs.readFileSync(postgresCrd, 'utf8')) as CustomResourceDefinition;
    const v = crd.spec.versions[0]!;
    const two: CustomResourceDefinition = { ...crd, spec: { ...crd.spec, versions: [{ ...v, name: 'v1alpha1', storage: false }, { ...v, name: 'v1beta1', storage: true }] } };
    const provide = (versions: Record<string, string>) => {
      const mesh = new Mesh(delivered());
      const db = new Team(mesh, 'database');
      db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: two, publish: [{ projection: { versions } }] });
      return compile(mesh);
    };
    expect(provide({ v1alpha1: 'v2', v1beta1: 'v1' }).mesh.exports[0]!.resources[0]!.versions).toEqual(['v1', 'v2']);
    expect(provide({ v1alpha1: 'v1beta2' }).mesh.exports[0]!.resources[0]!.versions).toEqual(['v1beta1', 'v1beta2']);
    const found = provide({ v1alpha1: 'v1', v1beta1: 'v1' }).diagnostics;
    expect(found.map((d) => d.code)).toEqual(['P2C017']);
    expect(found[0]!.message).toContain('leaves version v1 twice');
  });

  it('an explicit plural wins over the one a new kind implies, as upstream applies them in that order', () => {
    const c = published([{ projection: { kind: 'Database', plural: 'dbs' } }]);
    expect(c.mesh.exports[0]!.resources[0]!.plural).toBe('dbs');
  });

  it('options for a kind the API does not serve, or given twice, are P2C017 at the provide line', () => {
    for (const publish of [[{ kind: 'Nope' }], [{ kind: 'Postgres' }, { kind: 'Postgres', name: 'x' }]]) {
      const found = published(publish).diagnostics;
      expect(found.map((d) => d.code), JSON.stringify(publish)).toEqual(['P2C017']);
      expect(found[0]!.location).toMatch(/publish-options\.test\.ts:\d+$/);
    }
  });
});
