import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, Mesh, Team, synth } from '../src/index.js';
import { postgresCrd } from './support/mesh.js';
import { tempDir } from './support/run.js';

function mesh(createParents?: boolean) {
  // Not the tests' delivered(): that one creates parents.
  const m = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com', ...(createParents !== undefined ? { createParents } : {}) }, gitops: { repoURL: 'https://git.example.com/m.git' } });
  const db = new Team(m, 'database');
  const api = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd });
  new Team(m, 'webshop').bind('postgres', { api, acceptClaims: ['events'] });
  return m;
}

describe('parent workspaces the mesh does not declare are external by default', () => {
  it('no Workspace object and no folder for root:team, and a prerequisite that it exists', () => {
    const c = compile(mesh());
    expect(c.diagnostics).toEqual([]);
    const workspaces = c.manifests.filter((m) => m.object.kind === 'Workspace').map((m) => m.object.metadata.name).sort();
    expect(workspaces).toEqual(['database', 'webshop']);
    expect([...c.layout.folders.keys()].filter((f) => f.startsWith('kcp/'))).toEqual(['kcp/root/team', 'kcp/root/team/database', 'kcp/root/team/webshop']);
    expect(c.prerequisites[0]).toMatchObject({ title: 'workspace root:team exists' });
    expect(c.prerequisites[0]!.command).toContain('--server=https://kcp.example.com/clusters/root get workspaces.tenancy.kcp.io team');
    // No Argo CD app aims at root: nothing of p2c's is applied there.
    expect(c.manifests.some((m) => m.object.kind === 'Application' && m.object.metadata.name === 'kcp.root')).toBe(false);
  });

  it('kcp.createParents: true creates them as before', () => {
    const c = compile(mesh(true));
    expect(c.manifests.filter((m) => m.object.kind === 'Workspace').map((m) => m.object.metadata.name).sort()).toEqual(['database', 'team', 'webshop']);
    expect(c.prerequisites.some((p) => p.title.startsWith('workspace root:team'))).toBe(false);
  });

  it('an output that created the parent keeps it when the mesh stops creating it: GitOps leaves it in place', async () => {
    const out = path.join(tempDir('p2c-parents-'), 'out');
    await synth(mesh(true), { outdir: out });
    const { departures } = await synth(mesh(false), { outdir: out });
    expect(departures).toEqual([expect.objectContaining({ kind: 'Workspace', name: 'team', outcome: 'kept' })]);
  });
});

describe('labels and annotations on generated objects: one mechanism, Mesh.addMetadata', () => {
  it("adds them under a construct, for chosen kinds; the mesh's for every object, GitOps apps included", () => {
    const m = mesh(true);
    const api = m.node.findChild('database').node.findChild('postgres');
    m.addMetadata(api, { labels: { 'ui.platform-mesh.io/content-for': 'postgres' }, kinds: ['APIExport'] });
    m.addMetadata(m, { annotations: { 'example.com/cost-center': 'platform' } });
    const c = compile(m);
    expect(c.diagnostics).toEqual([]);
    const labelled = c.manifests.filter((x) => x.object.metadata.labels?.['ui.platform-mesh.io/content-for'] === 'postgres').map((x) => x.object.kind);
    expect(labelled).toEqual(['APIExport']);
    expect(c.manifests.every((x) => x.object.metadata.annotations?.['example.com/cost-center'] === 'platform')).toBe(true);
    expect(c.manifests.some((x) => x.object.kind === 'Application')).toBe(true);
  });

  it("never changes a key p2c sets itself (labels, protection, ordering): an error at the addMetadata line", () => {
    for (const extra of [{ labels: { 'app.kubernetes.io/managed-by': 'someone' } }, { annotations: { 'argocd.argoproj.io/sync-options': 'Prune=true' } }]) {
      const m = mesh(true);
      m.addMetadata(m, extra);
      const found = compile(m).diagnostics.filter((d) => d.code === 'P2C017');
      expect(found.length, JSON.stringify(extra)).toBeGreaterThan(0);
      expect(found[0]!.message).toMatch(/addMetadata would change (label|annotation) '.*' that p2c sets on/);
      expect(found[0]!.location).toMatch(/external\.test\.ts:\d+$/);
    }
  });
});

describe('exports that live outside the mesh (ExternalExport)', () => {
  const withExternal = (accept: string[], claims = [{ group: '', resource: 'secrets' }, { group: '', resource: 'namespaces' }]) => {
    const m = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const kubeBind = m.externalExport('kube-bind', { path: 'root', name: 'kube-bind.io', claims });
    new Team(m, 'webshop').bind('kube-bind', { api: kubeBind, acceptClaims: accept });
    return compile(m);
  };

  it('is bound like a provided API, and p2c writes neither its APIExport nor the bind permission on it', () => {
    const c = withExternal(['secrets', 'namespaces']);
    expect(c.diagnostics).toEqual([]);
    const binding = c.manifests.find((m) => m.object.kind === 'APIBinding')!.object as unknown as { spec: { reference: unknown; permissionClaims: Array<{ resource: string; state: string }> } };
    expect(binding.spec.reference).toEqual({ export: { path: 'root', name: 'kube-bind.io' } });
    expect(binding.spec.permissionClaims.map((p) => `${p.resource}:${p.state}`)).toEqual(['namespaces:Accepted', 'secrets:Accepted']);
    expect(c.manifests.filter((m) => m.object.kind === 'APIExport' || /ClusterRole/.test(m.object.kind))).toEqual([]);
    expect(c.layout.folders.has('kcp/root')).toBe(false);
    expect(c.prerequisites.map((p) => p.title)).toContain('Group team:webshop may bind the external APIExport kube-bind.io in root');
  });

  it('its claims are checked like any export\'s', () => {
    expect(withExternal(['namespaces']).diagnostics.map((d) => d.code)).toEqual(['P2C004']);
    expect(withExternal(['namespaces', 'secrets', 'configmaps']).diagnostics.map((d) => d.code)).toEqual(['P2C005']);
    const custom = withExternal(['namespaces', 'accounts.core.platform-mesh.io'], [{ group: '', resource: 'namespaces' }, { group: 'core.platform-mesh.io', resource: 'accounts' }]);
    // A claim on another export's resource needs its identity hash, and that export bound too.
    expect(custom.diagnostics.map((d) => d.code)).toEqual(['P2C006', 'P2C010']);
  });
});

describe('api-syncagent naming (PublishedResource spec.naming)', () => {
  it('is written as given, and validates against the upstream CRD', async () => {
    const { upstreamCatalog } = await import('./support/oracle.js');
    const m = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const db = new Team(m, 'database');
    db.provide('postgres', {
      cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd,
      naming: { namespace: '{{ .ClusterName }}', name: '{{ .Object.metadata.name }}' },
    });
    const c = compile(m);
    expect(c.diagnostics).toEqual([]);
    const published = c.manifests.find((x) => x.object.kind === 'PublishedResource')!.object;
    expect((published as unknown as { spec: { naming: unknown } }).spec.naming).toEqual({ namespace: '{{ .ClusterName }}', name: '{{ .Object.metadata.name }}' });
    expect(upstreamCatalog().validate(published)).toEqual([]);
  });
});

describe('examples/platform-mesh: teams as accounts of an organization, a provider onboarded by Platform Mesh', () => {
  it('writes Accounts, never a Workspace for an account or an external parent; every object valid upstream', async () => {
    const { compileExample } = await import('./support/examples.js');
    const { upstreamCatalog } = await import('./support/oracle.js');
    const c = await compileExample('platform-mesh', { catalog: upstreamCatalog() });
    expect(c.diagnostics).toEqual([]);
    const kinds = (kind: string) => c.manifests.filter((m) => m.object.kind === kind).map((m) => m.object.metadata.name).sort();
    expect(kinds('Account')).toEqual(['acme', 'database', 'observability', 'staging', 'webshop']);
    expect(kinds('Workspace')).toEqual([]);
    const account = (name: string) => c.manifests.find((m) => m.object.kind === 'Account' && m.object.metadata.name === name)!;
    expect(account('acme').target).toEqual({ type: 'workspace', path: 'root:orgs' });
    expect(account('acme').object['spec']).toEqual({ type: 'org', displayName: 'ACME Corp' });
    expect(account('database').object).toMatchObject({ apiVersion: 'core.platform-mesh.io/v1alpha1', spec: { type: 'account', displayName: 'Database team' } });
    expect(account('staging').target).toEqual({ type: 'workspace', path: 'root:orgs:acme:webshop' });
    // Kinds of the upstream CRDs (Account and WorkspaceType included); built-in kinds are validated by the pipeline itself.
    for (const m of c.manifests) expect(upstreamCatalog().validate(m.object) ?? [], `${m.object.kind}/${m.object.metadata.name}`).toEqual([]);
    expect(['Account', 'WorkspaceType', 'APIBinding', 'APIExport'].every((k) => c.manifests.some((m) => m.object.kind === k && upstreamCatalog().has(m.object.apiVersion, k)))).toBe(true);
    // An Account is data: deleting it deletes its workspace.
    expect(account('database').object.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    // Every account of acme has kube-bind.io from the org's account type, so nobody binds it by hand.
    expect(kinds('WorkspaceType')).toEqual(['acme-account']);
    expect(c.manifests.filter((m) => m.object.kind === 'APIBinding' && m.object.metadata.name === 'kube-bind.io')).toEqual([]);
    // The provider: a ManagedProvider in the platform cluster, its listing in the workspace its Provider made.
    expect(c.manifests.find((m) => m.object.kind === 'ManagedProvider')!.target).toEqual({ type: 'cluster', name: 'platform' });
    expect(kinds('ProviderMetadata')).toEqual(['wildwest.platform-mesh.io']);
    expect(c.prerequisites.map((p) => p.title)).toEqual(expect.arrayContaining(['workspace root:orgs exists', 'workspace root:providers:wildwest-2h7f6kq3 exists']));
  });
});

describe('api-syncagent related resources per CRD (kind)', () => {
  const both = () => {
    const file = path.join(tempDir('p2c-two-crds-'), 'apis.yaml');
    fs.writeFileSync(file, ['postgres', 'elastic'].map((n) => fs.readFileSync(path.join(path.dirname(postgresCrd), `${n}.yaml`), 'utf8')).join('\n---\n'));
    return file;
  };
  const provide = (kind?: string) => {
    const m = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const db = new Team(m, 'database');
    db.provide('data', {
      cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: both(), exportName: 'data.example.com',
      related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName', ...(kind ? { kind } : {}) }],
    });
    return compile(m);
  };

  it('without a kind a relation applies to every CRD, and a field one of them lacks is P2C032', () => {
    expect(provide().diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(/^P2C032 .*spec\.connectionSecretName' of Elasticsearch/)]);
  });

  it('with a kind only that CRD carries it and is checked', () => {
    const c = provide('Postgres');
    expect(c.diagnostics).toEqual([]);
    const published = c.manifests.filter((m) => m.object.kind === 'PublishedResource').map((m) => m.object as unknown as { spec: { resource: { kind: string }; related?: unknown[] } });
    expect(published.map((p) => `${p.spec.resource.kind}:${p.spec.related?.length ?? 0}`).sort()).toEqual(['Elasticsearch:0', 'Postgres:1']);
    expect(provide('Redis').diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('belongs to kind Redis, which data.example.com does not serve')]);
  });
});
