/**
 * Every folder can be applied, on an empty target, by each engine p2c targets; every cluster has a destination
 * of its own; an operator elects where its manager really runs.
 */
import { describe, expect, it } from 'vitest';
import { compile, Mesh, Team } from '../../src/index.js';
import type { KubeObject } from '../../src/model/mesh.js';
import { isCoreKind } from '../../src/validate/core-kinds.js';
import { groupOf } from '../../src/model/collections.js';
import { appName } from '../../src/emit/gitops.js';
import { compileExample, exampleNames } from '../support/examples.js';
import { delivered, elasticCrd, smallMesh } from '../support/mesh.js';

const kcpBuiltin = new Set(['apis.kcp.io', 'tenancy.kcp.io', 'core.kcp.io']);
const base = (folder: string) => folder.replace(/\/_stage-\d+$/, '');
const stage = (folder: string) => Number(/\/_stage-(\d+)$/.exec(folder)?.[1] ?? 0);

describe('every folder applies on an empty target', () => {
  it('no object\'s kind is created at runtime by something in its own folder or a later stage of it', async () => {
    // fluxcd/pkg ssa/manager_apply.go ApplyAllStaged: CRDs first (waited for), then a dry run of all the rest
    // before any of it is applied. A kind made at runtime by an object of the same folder never exists in time.
    for (const name of exampleNames) {
      const c = await compileExample(name);
      for (const [folder, placed] of c.layout.folders) {
        if (folder.startsWith('gitops/')) continue;
        const runtime = c.mesh.stages.kinds.get(base(folder));
        for (const { object } of placed) {
          const k = runtime?.get(`${groupOf(object.apiVersion)}/${object.kind}`);
          if (k) expect(stage(folder), `${name}: ${folder} ${object.kind} (created by ${k.createdBy})`).toBeGreaterThanOrEqual(k.stage);
        }
      }
    }
  });

  it('every custom kind is defined before its folder: a CRD there or in an earlier stage, kcp\'s own, a runtime kind, or a listed prerequisite', async () => {
    for (const name of exampleNames) {
      const c = await compileExample(name);
      const defined = new Map<string, Set<string>>();
      for (const [folder, placed] of c.layout.folders) {
        for (const { object } of placed) {
          const spec = object['spec'] as { group?: string; names?: { kind?: string } };
          if (object.kind !== 'CustomResourceDefinition' || !spec.group) continue;
          (defined.get(base(folder)) ?? defined.set(base(folder), new Set()).get(base(folder))!).add(`${spec.group}/${spec.names!.kind}`);
        }
      }
      const prerequisiteKinds = new Set<string>();
      if (c.prerequisites.some((p) => p.title.startsWith('kro runs'))) prerequisiteKinds.add('kro.run/ResourceGraphDefinition');
      if (c.prerequisites.some((p) => p.title.startsWith('Platform Mesh serves Accounts'))) prerequisiteKinds.add('core.platform-mesh.io/Account');
      if (c.prerequisites.some((p) => p.title.includes('kube-bind.io APIExport'))) for (const k of ['BindableResourcesRequest', 'Collection', 'APIServiceExportTemplate']) prerequisiteKinds.add(`kube-bind.io/${k}`);
      for (const [folder, placed] of c.layout.folders) {
        if (folder.startsWith('gitops/')) continue;
        for (const { object } of placed) {
          const key = `${groupOf(object.apiVersion)}/${object.kind}`;
          if (isCoreKind(object.apiVersion, object.kind) || object.kind === 'CustomResourceDefinition') continue;
          if (folder.startsWith('kcp/') && kcpBuiltin.has(groupOf(object.apiVersion))) continue;
          // A kind someone else installs there, declared with InstalledAPI (platform-mesh-operator's ManagedProvider).
          const declared = c.mesh.availability.get(base(folder))?.get(key)?.via === 'declared';
          const ok = defined.get(base(folder))?.has(key) || (c.mesh.stages.kinds.get(base(folder))?.get(key)?.stage ?? Infinity) <= stage(folder) || prerequisiteKinds.has(key) || declared;
          expect(ok, `${name}: ${folder} holds ${key} with nothing defining it`).toBe(true);
        }
      }
    }
  });

  it('each stage folder is its own app, after the stage before it, for both engines', async () => {
    const c = await compileExample('idp');
    const objects = c.manifests.map((m) => m.object);
    const kustomizations = new Map(objects.filter((o) => o.kind === 'Kustomization').map((k) => [k.metadata.name, k] as const));
    const apps = new Map(objects.filter((o) => o.kind === 'Application').map((a) => [a.metadata.name, a] as const));
    const staged = [...c.layout.folders.keys()].filter((f) => stage(f) > 0);
    // kube-bind's CRDs, the bound Postgres and the graph, then the graph's instance; the webshop workspace's binding of
    // its own export after the export, and the Webshop after the binding.
    expect(staged).toEqual(['clusters/observability/_stage-1', 'clusters/observability/_stage-2', 'clusters/observability/_stage-3',
      'kcp/root/team/webshop/_stage-1', 'kcp/root/team/webshop/_stage-2']);
    for (const f of staged) {
      const before = stage(f) === 1 ? base(f) : `${base(f)}/_stage-${stage(f) - 1}`;
      const k = kustomizations.get(appName(f))!;
      expect((k['spec'] as { dependsOn: Array<{ name: string }> }).dependsOn.map((d) => d.name)).toContain(appName(before));
      const wave = (a: KubeObject) => Number(a.metadata.annotations!['argocd.argoproj.io/sync-wave']);
      expect(wave(apps.get(appName(f))!)).toBeGreaterThan(wave(apps.get(appName(before))!));
    }
  });
});

describe('cluster destinations (P2C024)', () => {
  it('a cluster without a server is an error with Argo CD, not Argo CD\'s own cluster', () => {
    const mesh = new Mesh(delivered());
    new Team(mesh, 't', { workspace: false }).addCluster('cluster', { name: 'edge' });
    const ds = compile(mesh).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['P2C024']);
    expect(ds[0]!.hint).toContain('inCluster: true');
  });

  it('two clusters with one destination would be owned by two apps', () => {
    for (const props of [{ server: 'https://same.example.com' }, { inCluster: true }]) {
      const mesh = new Mesh(delivered());
      const t = new Team(mesh, 't', { workspace: false });
      t.addCluster('a', { name: 'a', ...props });
      t.addCluster('b', { name: 'b', ...props });
      expect(compile(mesh).diagnostics.map((d) => d.code)).toEqual(['P2C024']);
    }
  });

  it('inCluster: Argo CD deploys to kubernetes.default.svc, Flux with its own identity; the engines agree', () => {
    const mesh = new Mesh(delivered({ gitops: { engines: ['argocd', 'flux'] } }));
    new Team(mesh, 't', { workspace: false }).addCluster('cluster', { name: 'home', inCluster: true });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const app = c.manifests.find((m) => m.object.kind === 'Application')!.object;
    expect((app['spec'] as { destination: unknown }).destination).toEqual({ server: 'https://kubernetes.default.svc' });
    const ks = c.manifests.find((m) => m.object.kind === 'Kustomization')!.object;
    expect((ks['spec'] as { kubeConfig?: unknown }).kubeConfig).toBeUndefined();
  });

  it('in both examples no two apps share a destination', async () => {
    for (const name of exampleNames) {
      const apps = (await compileExample(name)).manifests.map((m) => m.object).filter((o) => o.kind === 'Application' && !o.metadata.name.includes('.stage-'));
      const servers = apps.map((a) => (a['spec'] as { destination: { server: string } }).destination.server);
      expect(new Set(servers).size, name).toBe(servers.length);
    }
  });
});

describe('operator leader election (multicluster-provider v0.8.0, controller-runtime v0.24)', () => {
  it('off by default: one replica, no --leader-elect, no lease Role anywhere', () => {
    const { mesh, webshop } = smallMesh();
    webshop.addOperator('shop', { cluster: webshop.addCluster('cluster', { name: 'webshop', server: 'https://webshop.clusters.example.com' }), crd: elasticCrd, image: 'x:1', claims: [{ group: '', resource: 'configmaps' }] });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const d = c.manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata.name === 'shop')!.object;
    const spec = d['spec'] as { replicas: number; template: { spec: { containers: Array<{ args: string[] }> } } };
    expect(spec.replicas).toBe(1);
    expect(spec.template.spec.containers[0]!.args).not.toContain('--leader-elect');
    expect(c.manifests.filter((m) => m.object.metadata.name.startsWith('p2c:operator:shop') && JSON.stringify(m.object).includes('"leases"'))).toEqual([]);
  });

  it('on: the lease and its RBAC are in the team workspace, where the manager\'s kcp kubeconfig elects', () => {
    const { mesh, webshop } = smallMesh();
    webshop.addOperator('shop', { cluster: webshop.addCluster('cluster', { name: 'webshop', server: 'https://webshop.clusters.example.com' }), crd: elasticCrd, image: 'x:1', claims: [{ group: '', resource: 'configmaps' }], leaderElection: true });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const leases = c.manifests.filter((m) => m.object.kind === 'Role' && m.object.metadata.name.startsWith('p2c:operator:shop') && JSON.stringify(m.object).includes('"leases"'));
    expect(leases.map((m) => m.target)).toEqual([{ type: 'workspace', path: 'root:team:webshop' }]);
    expect(leases[0]!.object.metadata.namespace).toBe('shop-system');
    expect(c.manifests.some((m) => m.target.type === 'workspace' && m.object.kind === 'Namespace' && m.object.metadata.name === 'shop-system')).toBe(true);
  });
});
