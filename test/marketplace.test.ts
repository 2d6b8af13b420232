import { describe, expect, it } from 'vitest';
import { ApiObject, compile, Mesh, Team, type MarketplaceListing } from '../src/index.js';
import { delivered, postgresCrd } from './support/mesh.js';

/** The database team lists Postgres in Platform Mesh's marketplace; its workspace binds the platform's UI export. */
function listed(marketplace: MarketplaceListing, bindUi = true) {
  const mesh = new Mesh(delivered());
  const db = new Team(mesh, 'database');
  db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd, marketplace });
  const ui = mesh.externalExport('ui', {
    path: 'root:platform-mesh-system', name: 'ui.platform-mesh.io',
    resources: [{ group: 'ui.platform-mesh.io', kind: 'ProviderMetadata' }, { group: 'ui.platform-mesh.io', kind: 'ContentConfiguration' }],
  });
  if (bindUi) db.bind('ui', { api: ui, acceptClaims: [] });
  return compile(mesh);
}

const listing: MarketplaceListing = {
  providerMetadata: { displayName: 'Postgres', description: 'Managed Postgres', contacts: [{ displayName: 'DB team', email: 'db@example.com', role: ['Maintainer'] }] },
  contentConfigurations: [{ name: 'postgres-ui', entity: 'core_platform-mesh_io_account', spec: { inlineConfiguration: { contentType: 'json', content: '{}' } } }],
};

describe('marketplace listings (ui.platform-mesh.io)', () => {
  it('ProviderMetadata named like the export and ContentConfigurations labelled for it, in the provider workspace', () => {
    const c = listed(listing);
    expect(c.diagnostics).toEqual([]);
    const ws = (c.layout.folders.get('kcp/root/team/database') ?? []).map((p) => p.object);
    // The kinds arrive with the APIBinding of the UI export: the listing waits for it in the next stage folder.
    const staged = (c.layout.folders.get('kcp/root/team/database/_stage-1') ?? []).map((p) => p.object);
    expect(staged.map((o) => o.kind).sort()).toEqual(['ContentConfiguration', 'ProviderMetadata']);
    const pm = staged.find((o) => o.kind === 'ProviderMetadata')!;
    expect(pm.metadata.name).toBe('database.example.com');
    expect(pm['spec']).toEqual(listing.providerMetadata);
    const cc = staged.find((o) => o.kind === 'ContentConfiguration')!;
    expect(cc.metadata.labels).toMatchObject({ 'ui.platform-mesh.io/content-for': 'database.example.com', 'ui.platform-mesh.io/entity': 'core_platform-mesh_io_account' });
    expect(ws.find((o) => o.kind === 'APIExport')!.metadata.labels?.['ui.platform-mesh.io/content-for']).toBe('database.example.com');
  });

  it('without the UI API bound in the workspace, the listing is P2C015: the kinds would not exist there', () => {
    expect(listed(listing, false).diagnostics.map((d) => d.code)).toEqual(['P2C015', 'P2C015']);
  });

  it('openTo is the explicit opt-in to let everyone bind: the subject joins the bind grant, marked as intended', () => {
    for (const [openTo, subject] of [['authenticated', { kind: 'Group', name: 'system:authenticated' }], ['anonymous', { kind: 'User', name: 'system:anonymous' }]] as const) {
      const c = listed({ openTo });
      expect(c.diagnostics, openTo).toEqual([]);
      const crb = c.manifests.find((m) => m.object.kind === 'ClusterRoleBinding' && m.object.metadata.name === 'p2c:bind:database.example.com')!.object;
      expect(crb['subjects']).toContainEqual({ apiGroup: 'rbac.authorization.k8s.io', ...subject });
      expect(crb.metadata.annotations?.['p2c.dev/security-exception']).toMatch(/^public-access: the marketplace listing opens it to/);
    }
  });

  it('declared public and open in the marketplace: the grant says both reasons', () => {
    const mesh = new Mesh(delivered());
    const db = new Team(mesh, 'database');
    db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd, public: true, marketplace: { openTo: 'authenticated' } });
    const crb = compile(mesh).manifests.find((m) => m.object.kind === 'ClusterRoleBinding' && m.object.metadata.name === 'p2c:bind:database.example.com')!.object;
    expect(crb.metadata.annotations?.['p2c.dev/security-exception']).toBe('public-access: the export is declared public; the marketplace listing opens it to every authenticated user');
  });

  it('without openTo nobody beyond the consumers gains bind; a hand-written grant to everyone is still P2C027', () => {
    const mesh = new Mesh(delivered());
    const db = new Team(mesh, 'database');
    db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd });
    new ApiObject(db.workspace!, 'open', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'open' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'p2c:bind:database.example.com' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
    } as never);
    expect(compile(mesh).diagnostics.map((d) => d.code)).toEqual(['P2C027']);
  });
});
