import { describe, expect, it } from 'vitest';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { compile, Mesh, Team } from '../src/index.js';
import { SchemaCatalog } from '../src/validate/schema-catalog.js';
import { immutableChanges } from '../src/validate/immutable.js';
import type { KubeObject } from '../src/model/mesh.js';
import { meshDataKinds, protect } from '../src/emit/protection.js';
import { groupOf, kindKey } from '../src/model/collections.js';
import { compileExample, exampleNames } from './support/examples.js';
import { delivered, postgresCrd, smallMesh } from './support/mesh.js';
import * as fs from 'node:fs';
import { parse } from 'yaml';

const dataKinds = ['CustomResourceDefinition', 'Namespace', 'Workspace', 'Account', 'WorkspaceType', 'ManagedProvider', 'APIBinding', 'APIExport', 'APIServiceBinding', 'APIServiceBindingBundle', 'PersistentVolumeClaim'];
const kept = (o: { metadata: { annotations?: Record<string, string> } }) =>
  (o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').includes('Prune=false')
  && (o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').includes('Delete=false')
  && o.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'] === 'disabled';

describe('objects that hold data are kept by both engines when they leave the output', () => {
  it('every Workspace, APIBinding, APIExport, CRD, Namespace and kube-bind binding in the examples', async () => {
    for (const name of exampleNames) {
      const c = await compileExample(name);
      const objects = c.manifests.map((m) => m.object);
      // p2c's own list, and instances of the APIs the mesh provides or composes.
      const instanceKinds = meshDataKinds(c.mesh);
      const isData = (o: KubeObject) => dataKinds.includes(o.kind) || instanceKinds.has(kindKey(groupOf(o.apiVersion), o.kind));
      const data = objects.filter(isData);
      expect(new Set(data.map((o) => o.kind)).size, name).toBeGreaterThan(2);
      for (const o of data) expect(kept(o), `${name}: ${o.kind} ${o.metadata.name}`).toBe(true);
      // And nothing else: a Deployment or Role is replaced by the next sync, never orphaned.
      for (const o of objects.filter((x) => !isData(x))) expect(o.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'], `${o.kind} ${o.metadata.name}`).toBeUndefined();
    }
  });

  it('the user\'s own CRDs and Namespaces too, however they were written', () => {
    const { mesh, cluster } = smallMesh();
    new kplus.Namespace(cluster, 'ns', { metadata: { name: 'payments' } });
    const crd = parse(fs.readFileSync(postgresCrd, 'utf8')) as { spec: object };
    new ApiObject(cluster, 'crd', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { ...crd.spec, group: 'example.com', names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' } } });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const objs = c.layout.folders.get('clusters/database')!.map((p) => p.object);
    expect(kept(objs.find((o) => o.kind === 'Namespace' && o.metadata.name === 'payments')!)).toBe(true);
    expect(kept(objs.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === 'widgets.example.com')!)).toBe(true);
  });

  it('keeps sync options an object already had', () => {
    const [m] = protect([{ target: { type: 'cluster', name: 'a' }, origin: { path: 'x' }, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } } } }], { retired: [], protectedKinds: [], exports: [], kubeBindOffers: [], kroGraphs: [] });
    expect(m!.object.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true,Prune=false,Delete=false');
  });
});

describe('changes the API server refuses on update, by class', () => {
  const catalog = SchemaCatalog.fromDirectory();
  const obj = (apiVersion: string, kind: string, rest: Record<string, unknown>) => ({ apiVersion, kind, metadata: { name: 'x' }, ...rest }) as KubeObject;
  const cases: Array<[string, KubeObject, KubeObject, RegExp | null]> = [
    ['APIBinding reference (kcp CRD CEL: self == oldSelf)', obj('apis.kcp.io/v1alpha2', 'APIBinding', { spec: { reference: { export: { path: 'root:a', name: 'a' } } } }), obj('apis.kcp.io/v1alpha2', 'APIBinding', { spec: { reference: { export: { path: 'root:b', name: 'a' } } } }), /\/spec\/reference: APIExport reference must not be changed/],
    ['APIBinding reference, keys in another order', obj('apis.kcp.io/v1alpha2', 'APIBinding', { spec: { reference: { export: { path: 'root:a', name: 'a' } } } }), obj('apis.kcp.io/v1alpha2', 'APIBinding', { spec: { reference: { export: { name: 'a', path: 'root:a' } } } }), null],
    ['Workspace type set where it was unset (kcp admission)', obj('tenancy.kcp.io/v1alpha1', 'Workspace', { spec: {} }), obj('tenancy.kcp.io/v1alpha1', 'Workspace', { spec: { type: { name: 'universal', path: 'root' } } }), /\/spec\/type/],
    ['Workspace type name changed (CRD CEL)', obj('tenancy.kcp.io/v1alpha1', 'Workspace', { spec: { type: { name: 'a', path: 'root' } } }), obj('tenancy.kcp.io/v1alpha1', 'Workspace', { spec: { type: { name: 'b', path: 'root' } } }), /name is immutable/],
    ['RoleBinding roleRef', obj('rbac.authorization.k8s.io/v1', 'RoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' } }), obj('rbac.authorization.k8s.io/v1', 'RoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'b' } }), /\/roleRef/],
    ['ClusterRoleBinding roleRef', obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { roleRef: { kind: 'ClusterRole', name: 'a' } }), obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { roleRef: { kind: 'ClusterRole', name: 'b' } }), /\/roleRef/],
    ['Deployment selector', obj('apps/v1', 'Deployment', { spec: { selector: { matchLabels: { a: '1' } } } }), obj('apps/v1', 'Deployment', { spec: { selector: { matchLabels: { a: '2' } } } }), /\/spec\/selector/],
    ['Deployment replicas (mutable)', obj('apps/v1', 'Deployment', { spec: { replicas: 1, selector: { matchLabels: { a: '1' } } } }), obj('apps/v1', 'Deployment', { spec: { replicas: 2, selector: { matchLabels: { a: '1' } } } }), null],
    ['StatefulSet serviceName', obj('apps/v1', 'StatefulSet', { spec: { serviceName: 'a' } }), obj('apps/v1', 'StatefulSet', { spec: { serviceName: 'b' } }), /serviceName/],
    ['CRD scope', obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { spec: { scope: 'Namespaced' } }), obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { spec: { scope: 'Cluster' } }), /\/spec\/scope/],
    ['immutable ConfigMap data', obj('v1', 'ConfigMap', { immutable: true, data: { a: '1' } }), obj('v1', 'ConfigMap', { immutable: true, data: { a: '2' } }), /\/data/],
    ['mutable ConfigMap data', obj('v1', 'ConfigMap', { data: { a: '1' } }), obj('v1', 'ConfigMap', { data: { a: '2' } }), null],
    ['Service clusterIP changed', obj('v1', 'Service', { spec: { clusterIP: '10.0.0.1' } }), obj('v1', 'Service', { spec: { clusterIP: '10.0.0.2' } }), /clusterIP/],
    ['Service clusterIP left to the server', obj('v1', 'Service', { spec: {} }), obj('v1', 'Service', { spec: { clusterIP: '10.0.0.2' } }), null],
  ];
  for (const [name, before, after, expected] of cases) {
    it(name, () => {
      const problems = immutableChanges(before, after, catalog);
      if (expected) expect(problems.join('\n')).toMatch(expected);
      else expect(problems).toEqual([]);
    });
  }
});

describe('kinds the mesh marks as holding data', () => {
  it('are protected like p2c\'s own, and retire lifts it for the retired construct only', () => {
    const m2 = new Mesh(delivered({ protectedKinds: [{ apiGroup: 'database.example.com', kind: 'Postgres' }] }));
    const team = new Team(m2, 'database');
    const c2 = team.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com' });
    new ApiObject(c2, 'orders', { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'orders', namespace: 'shop' } });
    const old = new ApiObject(c2, 'legacy', { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'legacy', namespace: 'shop' } });
    m2.retire(old, 'replaced by orders');
    const objs = compile(m2).layout.folders.get('clusters/database')!.map((p) => p.object);
    expect(kept(objs.find((o) => o.metadata.name === 'orders')!)).toBe(true);
    const legacy = objs.find((o) => o.metadata.name === 'legacy')!;
    expect(kept(legacy)).toBe(false);
    expect(legacy.metadata.annotations?.['p2c.dev/retire']).toBe('replaced by orders');
  });
});

describe('a List is written as its items', () => {
  it('so a Namespace or CRD inside a List (nested too) is protected and validated like any object', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'list', { apiVersion: 'v1', kind: 'List', metadata: { name: 'l' }, items: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data-ns' } },
      { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'data-ns', labels: { 'bad key': 'x' } } }] },
    ] } as never);
    const c = compile(mesh);
    expect(c.diagnostics.map((d) => d.message).join('\n')).toMatch(/ConfigMap data-ns\/cm .*\/metadata\/labels: key 'bad key'/);
    const objs = c.layout.folders.get('clusters/database')!.map((p) => p.object);
    expect(objs.some((o) => o.kind === 'List')).toBe(false);
    expect(kept(objs.find((o) => o.kind === 'Namespace' && o.metadata.name === 'data-ns')!)).toBe(true);
  });
});

describe('instances of the mesh\'s own APIs hold data', () => {
  it('a Postgres instance, a Webshop and a KRO instance are kept by both engines when they leave the output', async () => {
    const c = await compileExample('idp');
    const objs = c.manifests.map((m) => m.object);
    // api-syncagent deletes the provider's database with its instance; kro deletes what it created for an instance.
    for (const kind of ['Webshop', 'LoggingStack']) expect(kept(objs.find((o) => o.kind === kind)!), kind).toBe(true);
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
    new ApiObject(webshop.workspace!, 'db', { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'orders', namespace: 'default' }, spec: { version: '16', storage: '1Gi' } });
    expect(kept(compile(mesh).manifests.map((m) => m.object).find((o) => o.kind === 'Postgres')!)).toBe(true);
  });
});
