import { describe, expect, it } from 'vitest';
import { ApiObject, compile, Mesh, Team, type CustomResourceDefinition } from '../src/index.js';
import { delivered } from './support/mesh.js';
import { upstreamCatalog } from './support/oracle.js';

const armamentCrd: CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'armaments.wildwest.example.com' },
  spec: {
    group: 'wildwest.example.com', names: { kind: 'Armament', plural: 'armaments', singular: 'armament', listKind: 'ArmamentList' }, scope: 'Cluster',
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { caliber: { type: 'string' } } } } } } }],
  },
};
const hash = '2aa635c811395932a55e595f5b1ce91fc25734b0f090ffb81d91e6f73ffbc10b';

/** provider-quickstart's Armaments: kept in the provider workspace, read by consumers from kcp's cache. */
function cachedMesh() {
  const mesh = new Mesh(delivered());
  const wildwest = new Team(mesh, 'wildwest');
  const api = wildwest.addOperator('wildwest', {
    exportName: 'wildwest.example.com', deployedBy: 'user',
    cached: [{ crd: armamentCrd, identityHash: hash, identitySecret: { name: 'armaments-identity', namespace: 'default' } }],
  });
  const shop = new Team(mesh, 'shop');
  shop.bind('wildwest', { api, acceptClaims: [] });
  return { mesh, wildwest, shop };
}

describe('kinds served from kcp’s cache (APIExport storage.virtual)', () => {
  it('the export points at the endpoint slice by the cache identity; CRD, CachedResource and slice in the provider workspace', () => {
    const c = compile(cachedMesh().mesh, { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    const ws = (c.layout.folders.get('kcp/root/team/wildwest') ?? []).map((p) => p.object);
    const exp = ws.find((o) => o.kind === 'APIExport')!;
    expect((exp['spec'] as { resources: unknown[] }).resources).toEqual([{
      group: 'wildwest.example.com', name: 'armaments', schema: expect.stringMatching(/^v[0-9a-f]{10}\.armaments\.wildwest\.example\.com$/),
      storage: { virtual: { identityHash: hash, reference: { apiGroup: 'cache.kcp.io', kind: 'CachedResourceEndpointSlice', name: 'armaments' } } },
    }]);
    expect(upstreamCatalog().validate(exp)).toEqual([]);
    expect(ws.find((o) => o.kind === 'CachedResource')!['spec']).toEqual({ group: 'wildwest.example.com', version: 'v1alpha1', resource: 'armaments', identity: { secretRef: { name: 'armaments-identity', namespace: 'default' } } });
    expect(ws.find((o) => o.kind === 'CachedResourceEndpointSlice')!['spec']).toEqual({ cachedResource: { name: 'armaments' }, export: { name: 'wildwest.example.com' } });
    expect(ws.some((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === 'armaments.wildwest.example.com')).toBe(true);
    // The identity key is a credential: referenced, never written.
    expect(c.manifests.some((m) => m.object.kind === 'Secret')).toBe(false);
    expect(c.prerequisites.map((p) => p.title)).toContain('cache identity Secret default/armaments-identity in root:team:wildwest');
  });

  it('the provider keeps its objects in its workspace; consumers have the kind through the binding', () => {
    const { mesh, wildwest } = cachedMesh();
    new ApiObject(wildwest.workspace!, 'colt', { apiVersion: 'wildwest.example.com/v1alpha1', kind: 'Armament', metadata: { name: 'colt' }, spec: { caliber: '.45' } } as never);
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.mesh.availability.get('kcp/root/team/wildwest')?.get('wildwest.example.com/Armament')?.via).toBe('crd');
    expect(c.mesh.availability.get('kcp/root/team/shop')?.get('wildwest.example.com/Armament')?.via).toBe('apibinding');
  });
});
