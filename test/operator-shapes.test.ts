import { describe, expect, it } from 'vitest';
import { compile, InstalledAPI, Mesh, Team, type OperatorProps } from '../src/index.js';
import { delivered, elasticCrd } from './support/mesh.js';
import { upstreamCatalog } from './support/oracle.js';

/** A `search` team serving its Elastic API with an operator in the given shape. */
function operated(shape: Partial<OperatorProps>, team: ConstructorParameters<typeof Team>[2] = {}) {
  const mesh = new Mesh(delivered());
  const platform = new Team(mesh, 'platform');
  const platformCluster = platform.addCluster('cluster', { name: 'platform', server: 'https://platform.example.com' });
  const search = new Team(mesh, 'search', team);
  search.addOperator('elastic', { crd: elasticCrd, ...shape });
  return { c: compile(mesh, { catalog: upstreamCatalog() }), platformCluster, mesh };
}
const kinds = (c: ReturnType<typeof compile>, folder: string) => (c.layout.folders.get(folder) ?? []).map((p) => `${p.object.kind}/${p.object.metadata.name}`).sort();

describe('operators in three shapes', () => {
  it("deployedBy 'user': only the workspace side (export, schema, RBAC for the given subject), nothing in any cluster", () => {
    const { c } = operated({ deployedBy: 'user', kcpSubject: { kind: 'User', name: 'elastic-controller' } });
    expect(c.diagnostics).toEqual([]);
    const ws = kinds(c, 'kcp/root/team/search');
    expect(ws.filter((k) => k.startsWith('APIResourceSchema/'))).toHaveLength(1);
    expect(ws).toContain('APIExport/observability.example.com');
    expect(ws.some((k) => k.startsWith('ServiceAccount/'))).toBe(false);
    const binding = c.manifests.find((m) => m.object.kind === 'ClusterRoleBinding' && m.object.metadata.name === 'p2c:operator:elastic')!;
    expect(binding.object['subjects']).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'elastic-controller' }]);
    expect(c.manifests.filter((m) => m.target.type === 'cluster' && m.object.kind === 'Deployment')).toEqual([]);
    expect(c.prerequisites.map((p) => p.title)).toContain('operator elastic is deployed by its team');
  });

  it("deployedBy 'user' without a subject: p2c's ServiceAccount in the workspace, as before", () => {
    const { c } = operated({ deployedBy: 'user' });
    expect(kinds(c, 'kcp/root/team/search')).toContain('ServiceAccount/elastic');
  });

  it('props only p2c\'s Deployment reads are refused when p2c does not deploy it, each named', () => {
    const { c } = operated({ deployedBy: 'user', image: 'x', leaderElection: true, workloadNamespaces: 'all' });
    expect(c.diagnostics.map((d) => d.code)).toEqual(['P2C017']);
    expect(c.diagnostics[0]!.message).toContain('image, workloadNamespaces, leaderElection would have no effect');
  });

    it('deployed by p2c without cluster or image is P2C017 at the operator line', () => {
    const { c } = operated({});
    expect(c.diagnostics.map((d) => d.code)).toEqual(['P2C017']);
    expect(c.diagnostics[0]!.location).toMatch(/operator-shapes\.test\.ts:\d+$/);
  });

  it('a ManagedProvider: the object in the platform cluster, valid as platform-mesh-operator reads it; no Deployment, no RBAC', () => {
    // Parents external too (the default): root:providers is Platform Mesh's.
    const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' } });
    const platform = new Team(mesh, 'platform', { workspace: false });
    const cluster = platform.addCluster('cluster', { name: 'platform', server: 'https://platform.example.com' });
    const search = new Team(mesh, 'search', { workspace: 'root:providers:search-1x2y3z', externalWorkspace: true });
    search.addOperator('elastic', {
      crd: elasticCrd,
      deployedBy: { managedProvider: { cluster, charts: [{ chart: 'elastic-controller', registry: 'ghcr.io/acme/charts', version: '1.2.3', values: { replicas: 2 } }] } },
    });
    // platform-mesh-operator's kind must be there: without it declared, P2C015 says so.
    expect(compile(mesh).diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('nothing there serves providers.platform-mesh.io/ManagedProvider')]);
    new InstalledAPI(cluster, 'platform-mesh-operator', { group: 'providers.platform-mesh.io', kinds: ['ManagedProvider'], versions: ['v1alpha1'] });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const mp = c.manifests.find((m) => m.object.kind === 'ManagedProvider')!;
    expect(mp.target).toEqual({ type: 'cluster', name: 'platform' });
    expect(mp.object).toMatchObject({
      apiVersion: 'providers.platform-mesh.io/v1alpha1',
      metadata: { name: 'elastic', namespace: 'platform-mesh-system' },
      spec: {
        platformMeshRef: { name: 'platform-mesh' },
        cleanupOnDelete: false,
        runtimeDeployments: [{ flux: { registry: 'ghcr.io/acme/charts', chart: 'elastic-controller', version: '1.2.3', values: { replicas: 2 } } }],
      },
    });
    // Deleting it uninstalls the provider's charts (and with cleanupOnDelete its workspace): kept unless retired.
    expect(mp.object.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    expect(c.manifests.some((m) => m.object.kind === 'Deployment' || (m.object.kind === 'ClusterRole' && m.object.metadata.name.startsWith('p2c:operator')))).toBe(false);
    // The provider workspace is the Provider's: written into, never created.
    expect(c.manifests.some((m) => m.object.kind === 'Workspace')).toBe(false);
    expect(kinds(c, 'kcp/root/providers/search-1x2y3z')).toContain('APIExport/observability.example.com');
    expect(c.prerequisites.map((p) => p.title)).toEqual(expect.arrayContaining(['workspace root:providers:search-1x2y3z exists', 'PlatformMesh platform-mesh is Ready in cluster platform']));
  });
});

describe('external workspaces', () => {
  it('a team whose workspace exists already: no Workspace object; a prerequisite that it exists', () => {
    const mesh = new Mesh(delivered());
    new Team(mesh, 'search', { workspace: 'root:platform:search', externalWorkspace: true });
    const c = compile(mesh);
    expect(c.manifests.filter((m) => m.object.kind === 'Workspace').map((m) => m.object.metadata.name)).toEqual(['platform']);
    expect(c.prerequisites.map((p) => p.title)).toContain('workspace root:platform:search exists');
  });
});
