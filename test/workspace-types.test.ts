import { describe, expect, it } from 'vitest';
import { compile, Mesh, Team } from '../src/index.js';
import { delivered, postgresCrd } from './support/mesh.js';
import { upstreamCatalog } from './support/oracle.js';

/** A platform mesh whose `tenant` WorkspaceType gives every tenant workspace the database team's Postgres. */
function typed(accept: string[] = ['events', 'namespaces', 'secrets']) {
  const mesh = new Mesh(delivered());
  const database = new Team(mesh, 'database');
  const postgres = database.provide('postgres', {
    cluster: database.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd,
    related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName' }],
  });
  const tenant = mesh.workspaceType('tenant', { path: 'root', defaultAPIBindings: [{ api: postgres, acceptClaims: accept }], extend: [{ name: 'universal', path: 'root' }] });
  const webshop = new Team(mesh, 'webshop', { workspaceType: tenant.reference });
  return { mesh, postgres, tenant, webshop };
}

describe('WorkspaceType with default API bindings', () => {
  it('is written into its workspace, valid against the kcp CRD, and kept by GitOps when it leaves', () => {
    const c = compile(typed().mesh, { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    const wt = c.manifests.find((m) => m.object.kind === 'WorkspaceType')!;
    expect(wt.target).toEqual({ type: 'workspace', path: 'root' });
    expect(wt.object['spec']).toEqual({
      extend: { with: [{ name: 'universal', path: 'root' }] },
      defaultAPIBindings: [{ export: 'database.example.com', path: 'root:team:database' }],
    });
    expect(upstreamCatalog().validate(wt.object)).toEqual([]);
    expect(wt.object.metadata.annotations?.['argocd.argoproj.io/sync-options']).toContain('Prune=false');
  });

  it('a workspace of the type has the bound kinds without an APIBinding of its own', () => {
    const { mesh } = typed();
    const c = compile(mesh);
    const kinds = c.mesh.availability.get('kcp/root/team/webshop');
    expect(kinds?.get('database.example.com/Postgres')?.what).toBe('APIBinding database.example.com (default binding of WorkspaceType tenant)');
    expect(c.manifests.some((m) => m.object.kind === 'APIBinding')).toBe(false);
    const ws = c.manifests.find((m) => m.object.kind === 'Workspace' && m.object.metadata.name === 'webshop')!;
    expect(ws.object['spec']).toEqual({ type: { name: 'tenant', path: 'root' } });
  });

  it('whoever applies the type may bind the export (kcp admission), and no one else gains it', () => {
    const c = compile(typed().mesh);
    const crb = c.manifests.find((m) => m.object.kind === 'ClusterRoleBinding' && m.object.metadata.name === 'p2c:bind:database.example.com')!;
    expect(crb.object['subjects']).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform' }]);
  });

  it('every claim kcp will accept for each workspace must be accepted by the type: the family of claims, each reported', () => {
    for (const missing of ['events', 'namespaces', 'secrets']) {
      const accept = ['events', 'namespaces', 'secrets'].filter((k) => k !== missing);
      const found = compile(typed(accept).mesh).diagnostics;
      expect(found.map((d) => d.code), missing).toEqual(['P2C004']);
      expect(found[0]!.message).toContain(`accepts its claim '${missing}'`);
      expect(found[0]!.location).toMatch(/workspace-types\.test\.ts:\d+$/);
    }
    expect(compile(typed(['events', 'namespaces', 'secrets', 'configmaps']).mesh).diagnostics.map((d) => d.code)).toEqual(['P2C005']);
  });

  it('a default binding of an export nobody provides is P2C003; of an external export, a prerequisite names who needs bind', () => {
    const m = new Mesh(delivered());
    m.workspaceType('tenant', { path: 'root', defaultAPIBindings: [{ api: { path: 'root', name: 'nope' }, acceptClaims: [] }] });
    expect(compile(m).diagnostics.map((d) => d.code)).toEqual(['P2C003']);

    const m2 = new Mesh(delivered());
    const core = m2.externalExport('core', { path: 'root:platform-mesh-system', name: 'core.platform-mesh.io', claims: [{ group: '', resource: 'namespaces' }] });
    m2.workspaceType('tenant', { path: 'root', defaultAPIBindings: [{ api: core, acceptClaims: ['namespaces'] }], appliedBy: [{ kind: 'Group', name: 'gitops' }] });
    const c = compile(m2);
    expect(c.diagnostics).toEqual([]);
    expect(c.prerequisites.map((p) => p.title)).toContain('Group gitops may bind the external APIExport core.platform-mesh.io in root:platform-mesh-system');
  });

  it('its folder is applied even where the mesh declares no workspace, before the workspaces of the type', () => {
    // Parents external (the default): root is no folder of the mesh's but for the type.
    const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const tenant = mesh.workspaceType('tenant', { path: 'root' });
    new Team(mesh, 'webshop', { workspaceType: tenant.reference });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.manifests.some((m) => m.object.kind === 'Application' && m.object.metadata.name === 'kcp.root')).toBe(true);
    expect(c.mesh.applyOrder.edges.some((e) => e.from === 'kcp/root' && e.to === 'kcp/root/team')).toBe(true);
    // Where nothing else orders them, the type's own edge does: a type in root:types, workspaces in root:team.
    const apart = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    new Team(apart, 'webshop', { workspaceType: apart.workspaceType('tenant', { path: 'root:types' }).reference });
    expect(compile(apart).mesh.applyOrder.edges.filter((e) => e.from === 'kcp/root/types' && e.to === 'kcp/root/team').map((e) => e.why)).toEqual(['WorkspaceType tenant before the workspaces of that type']);
  });

  it('the access report names whoever applies the type as able to bind', async () => {
    const { accessReport } = await import('../src/cli/summary.js');
    expect(accessReport(compile(typed().mesh))).toContain('Group platform may bind it: applies a WorkspaceType that binds it into every new workspace of the type');
  });

  it('a team binding an export its type already binds by default: P2C002 at the binding', () => {
    const { mesh, postgres, webshop } = typed();
    webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
    const found = compile(mesh).diagnostics;
    expect(found.map((d) => d.code)).toEqual(['P2C002']);
    expect(found[0]!.message).toContain("which WorkspaceType 'tenant' binds there by default already");
  });

  it('two types of one name in one workspace are P2C002; a bad name P2C001 (and the pattern of the kcp schema, P2C011)', () => {
    const m = new Mesh(delivered());
    m.workspaceType('a', { path: 'root', name: 'tenant' });
    m.workspaceType('b', { path: 'root', name: 'tenant' });
    m.workspaceType('c', { path: 'root', name: 'Tenant' });
    expect(compile(m).diagnostics.map((d) => d.code).sort()).toEqual(['P2C001', 'P2C002', 'P2C011']);
  });
});

describe('Platform Mesh organizations and accounts', () => {
  function org(props: Parameters<Mesh['organization']>[1] = {}) {
    const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const acme = mesh.organization('acme', { displayName: 'ACME Corp', ...props });
    const team = acme.addTeam('webshop', { account: { displayName: 'Webshop' } });
    return { mesh, acme, team };
  }

  it('the organization is an org Account in root:orgs and its teams accounts in it; no Workspace for either', () => {
    const { mesh, team } = org();
    team.addAccount('prod', { displayName: 'Production' });
    const c = compile(mesh, { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    expect(c.manifests.filter((m) => m.object.kind === 'Workspace')).toEqual([]);
    const accounts = c.manifests.filter((m) => m.object.kind === 'Account').map((m) => [m.target.type === 'workspace' ? m.target.path : '', m.object.metadata.name, (m.object['spec'] as { type: string }).type]);
    expect(accounts).toEqual([['root:orgs', 'acme', 'org'], ['root:orgs:acme', 'webshop', 'account'], ['root:orgs:acme:webshop', 'prod', 'account']]);
    for (const a of c.manifests.filter((m) => m.object.kind === 'Account')) expect(upstreamCatalog().validate(a.object)).toEqual([]);
    // root:orgs is Platform Mesh's: a prerequisite, never an object of p2c's.
    expect(c.prerequisites[0]!.title).toBe('workspace root:orgs exists');
  });

  it('an external organization writes no Account of its own; its teams still are accounts in it', () => {
    const c = compile(org({ external: true }).mesh);
    expect(c.manifests.filter((m) => m.object.kind === 'Account').map((m) => m.object.metadata.name)).toEqual(['webshop']);
    expect(c.prerequisites.map((p) => p.title)).toContain('workspace root:orgs:acme exists');
  });

  it('defaultAPIBindings write the <org>-account WorkspaceType as account-operator lays it out, and accounts get the kinds', () => {
    const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const acme = mesh.organization('acme');
    const db = acme.addTeam('database');
    const postgres = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd });
    acme.addTeam('webshop');
    mesh.workspaceType('acme-account', {
      path: 'root:orgs', labels: { 'core.platform-mesh.io/org': 'acme' }, extend: [{ name: 'account', path: 'root' }],
      defaultChildWorkspaceType: acme.accountType, limitAllowedParents: [acme.orgType, acme.accountType], limitAllowedChildren: [acme.accountType],
      defaultAPIBindings: [{ api: postgres, acceptClaims: ['events'] }],
    });
    const c = compile(mesh, { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    expect(c.mesh.availability.get('kcp/root/orgs/acme/webshop')?.has('database.example.com/Postgres')).toBe(true);
    const wt = c.manifests.find((m) => m.object.kind === 'WorkspaceType')!;
    expect(wt.object.metadata.labels?.['core.platform-mesh.io/org']).toBe('acme');
    expect(upstreamCatalog().validate(wt.object)).toEqual([]);
  });

  it('Organization defaultAPIBindings is the same type, written for you', () => {
    const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const kubeBind = mesh.externalExport('kube-bind', { path: 'root', name: 'kube-bind.io', claims: [{ group: '', resource: 'secrets' }] });
    const acme = mesh.organization('acme', { defaultAPIBindings: [{ api: kubeBind, acceptClaims: ['secrets'] }] });
    acme.addTeam('webshop');
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const wt = c.manifests.find((m) => m.object.kind === 'WorkspaceType')!;
    expect(wt.target).toEqual({ type: 'workspace', path: 'root:orgs' });
    expect(wt.object.metadata.name).toBe('acme-account');
    expect(wt.object['spec']).toEqual({
      extend: { with: [{ name: 'account', path: 'root' }] },
      defaultChildWorkspaceType: { name: 'acme-account', path: 'root:orgs' },
      limitAllowedParents: { types: [{ name: 'acme-org', path: 'root:orgs' }, { name: 'acme-account', path: 'root:orgs' }] },
      limitAllowedChildren: { types: [{ name: 'acme-account', path: 'root:orgs' }] },
      defaultAPIBindings: [{ export: 'kube-bind.io', path: 'root' }],
    });
  });

  it('nor can a Workspace that is an account; a team without a workspace holds no account', async () => {
    const { Workspace } = await import('../src/index.js');
    const mesh = new Mesh(delivered());
    new Workspace(new Team(mesh, 'a'), 'env', { path: 'root:team:a:env', account: {}, type: { name: 'x', path: 'root' } });
    new Team(mesh, 'b', { workspace: false }).addAccount('prod');
    const found = compile(mesh).diagnostics.filter((d) => d.code === 'P2C017').map((d) => d.message);
    expect(found).toEqual(expect.arrayContaining([expect.stringContaining("workspace 'root:team:a:env' is an account"), "team 'b' has no workspace to hold account 'prod'"]));
  });

  it('an account team cannot choose its workspace type: account-operator does', () => {
    const mesh = new Mesh(delivered());
    mesh.organization('acme').addTeam('webshop', { workspaceType: { name: 'x', path: 'root' } });
    const found = compile(mesh).diagnostics;
    expect(found.map((d) => d.code)).toEqual(['P2C017']);
    expect(found[0]!.message).toContain('account-operator chooses');
  });
});
