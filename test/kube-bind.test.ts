import { describe, expect, it } from 'vitest';
import { compile, Mesh, Team, type ComputeCluster } from '../src/index.js';
import type { KubeObject } from '../src/model/mesh.js';
import { compileExample } from './support/examples.js';
import { delivered, postgresCrd, smallMesh } from './support/mesh.js';

const objects = (c: { layout: { folders: ReadonlyMap<string, readonly { object: KubeObject }[]> } }, folder: string) => (c.layout.folders.get(folder) ?? []).map((p) => p.object);
const one = (objs: KubeObject[], kind: string) => objs.filter((o) => o.kind === kind);
type PodSpec = { containers: Array<{ args: string[]; env?: unknown[] }>; volumes?: Array<{ secret: { secretName: string } }> };
const podOf = (d: KubeObject) => (d['spec'] as { template: { spec: PodSpec } }).template.spec;

describe('Kube to Kube (examples/kube-to-kube)', () => {
  it('provider: backend without browser flow, template with the Secret claim, request for the consumer', async () => {
    const c = await compileExample('kube-to-kube');
    const provider = objects(c, 'clusters/provider');
    const backend = one(provider, 'Deployment')[0]!;
    const args = podOf(backend).containers[0]!.args;
    expect(args).toContain('--frontend-disabled');
    expect(args).toContain('--consumer-scope=Namespaced');
    expect(args).toContain('--external-address=https://provider.example.com:6443');
    const template = one(provider, 'APIServiceExportTemplate')[0]!;
    expect(template['spec']).toMatchObject({
      scope: 'Namespaced',
      resources: [{ group: 'database.example.com', resource: 'postgreses', versions: ['v1alpha1'] }],
      permissionClaims: [{ group: '', resource: 'secrets', selector: { references: [{ resource: 'postgreses', jsonPath: { name: 'spec.connectionSecretName' } }] } }],
    });
    const request = one(provider, 'BindableResourcesRequest')[0]!;
    expect(request['spec']).toMatchObject({ clusterIdentity: { identity: 'consumer' } });
    expect(one(provider, 'Collection')[0]!['spec']).toMatchObject({ templates: [{ name: 'postgreses.database.example.com' }] });
    // The offered CRD, labelled for the backend, plus the backend chart's eleven.
    expect(one(provider, 'CustomResourceDefinition').filter((o) => o.metadata.labels?.['kube-bind.io/exported'] === 'true').map((o) => o.metadata.name)).toEqual(['postgreses.database.example.com']);
    expect(one(provider, 'CustomResourceDefinition')).toHaveLength(12);
  });

  it('consumer: konnector in kube-bind, binding by kubeconfig Secret reference, no Secret written', async () => {
    const c = await compileExample('kube-to-kube');
    const consumer = objects(c, 'clusters/consumer');
    expect(one(consumer, 'Namespace').map((n) => n.metadata.name)).toEqual(['kube-bind']);
    const d = one(consumer, 'Deployment')[0]!;
    expect(d.metadata).toMatchObject({ name: 'konnector', namespace: 'kube-bind' });
    // In the stage folder applied once the konnector has created the binding CRD.
    expect(one(consumer, 'APIServiceBinding')).toEqual([]);
    expect(one(objects(c, 'clusters/consumer/_stage-1'), 'APIServiceBinding')[0]!['spec']).toEqual({ kubeconfigSecretRef: { name: 'kubeconfig-provider', namespace: 'kube-bind', key: 'kubeconfig' } });
    expect(c.manifests.some((m) => m.object.kind === 'Secret')).toBe(false);
  });

  it('konnector RBAC is scoped to CRDs, the bound kind, the claimed Secrets and leases', async () => {
    const c = await compileExample('kube-to-kube');
    const role = one(objects(c, 'clusters/consumer'), 'ClusterRole')[0]!;
    const rules = role['rules'] as Array<{ apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }>;
    const groups = new Set(rules.flatMap((r) => r.apiGroups));
    expect(groups).toEqual(new Set(['apiextensions.k8s.io', 'kube-bind.io', '', 'database.example.com']));
    expect(rules.find((r) => r.resourceNames)).toMatchObject({ resources: ['customresourcedefinitions'], resourceNames: ['apiservicebindingbundles.kube-bind.io', 'apiservicebindings.kube-bind.io', 'postgreses.database.example.com'], verbs: ['update', 'patch', 'delete'] });
    expect(rules.find((r) => r.apiGroups[0] === 'database.example.com')!.resources).toEqual(['postgreses', 'postgreses/status']);
    const local = one(objects(c, 'clusters/consumer'), 'Role')[0]!;
    expect(JSON.stringify(local['rules'])).toContain('leases');
  });

  it('backend RBAC lets it write the ClusterRoles it makes: escalate and bind on roles, under the named exception', async () => {
    // kube-bind v0.8.1 backend/controllers/serviceexportrbac/rbac_reconciler.go creates ClusterRole
    // kube-binder-exports with an aggregationRule, which Kubernetes (pkg/registry/rbac/clusterrole/policybased)
    // admits only from a user with `escalate`; cluster/cluster_reconcile.go binds kube-bind-oidc-user, which grants
    // `bind` on kube-bind.io, so its binding needs `bind`. The live suite saw both refused without them.
    const c = await compileExample('kube-to-kube');
    const role = one(objects(c, 'clusters/provider'), 'ClusterRole').find((r) => r.metadata.name === 'p2c:kube-bind-backend:kube-bind')!;
    const rules = role['rules'] as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    const rbac = rules.filter((r) => r.apiGroups.includes('rbac.authorization.k8s.io'));
    expect(rbac.find((r) => r.resources.includes('clusterroles'))!.verbs).toEqual(expect.arrayContaining(['create', 'bind', 'escalate']));
    expect(rbac.find((r) => r.resources.includes('clusterrolebindings'))!.verbs).not.toContain('escalate');
    expect(role.metadata.annotations?.['p2c.dev/security-exception']).toMatch(/^rbac-escalation: .*escalate, bind/);
    expect(c.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
  });

  it('OIDC settings are referenced by Secret, and the backend then serves its frontend', () => {
    const mesh = new Mesh(delivered());
    const t = new Team(mesh, 'p', { workspace: false });
    const cl = t.addCluster('cluster', { name: 'provider', server: 'https://provider.clusters.example.com' });
    const b = cl.addKubeBindBackend('kb', { oidc: { issuerUrl: 'https://dex.example.com', clientId: 'kube-bind', clientSecret: { name: 'oidc', key: 'secret' }, callbackUrl: 'https://bind.example.com/callback' } });
    b.offer('pg', { api: postgresCrd });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const pod = podOf(one(objects(c, 'clusters/provider'), 'Deployment')[0]!);
    expect(pod.containers[0]!.args).not.toContain('--frontend-disabled');
    expect(pod.containers[0]!.args).toContain('--oidc-issuer-url=https://dex.example.com');
    expect(pod.containers[0]!.env).toEqual([{ name: 'OIDC_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: 'oidc', key: 'secret' } } }]);
    expect(one(objects(c, 'clusters/provider'), 'Service')).toHaveLength(1);
  });

  it('a bundle binding writes an APIServiceBindingBundle', () => {
    const mesh = new Mesh(delivered());
    const p = new Team(mesh, 'p', { workspace: false }).addCluster('cluster', { name: 'provider', server: 'https://provider.clusters.example.com' });
    const consumer = new Team(mesh, 'c', { workspace: false }).addCluster('cluster', { name: 'consumer', server: 'https://consumer.clusters.example.com' });
    const offer = p.addKubeBindBackend('kb').offer('pg', { api: postgresCrd });
    consumer.bindWithKubeBind('pg', { offer, bundle: true, name: 'provider' });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(one(objects(c, 'clusters/consumer/_stage-1'), 'APIServiceBindingBundle').map((o) => o.metadata.name)).toEqual(['provider']);
  });
});

describe('kcp workspace as kube-bind backend (examples/idp, observability)', () => {
  it('runs the backend in kcp mode in the observability cluster', async () => {
    const c = await compileExample('idp');
    const d = one(objects(c, 'clusters/observability'), 'Deployment').find((o) => o.metadata.name === 'kube-bind-backend')!;
    const pod = podOf(d);
    expect(pod.containers[0]!.args).toEqual(expect.arrayContaining(['--multicluster-runtime-provider=kcp', '--apiexport-endpoint-slice-name=kube-bind.io', '--schema-source=apiresourceschemas', '--consumer-scope=Cluster']));
    expect(pod.volumes![0]!.secret.secretName).toBe('kube-bind-kcp-kubeconfig');
  });

  it('points the backend\'s kcp kubeconfig at the platform\'s kube-bind.io workspace, where its endpoint slice is', async () => {
    // kube-bind v0.8.2 backend/provider/kcp/provider.go hands the kubeconfig to multicluster-provider's apiexport
    // provider, which watches the named APIExportEndpointSlice in the kubeconfig's own workspace; contrib/kcp's
    // bootstrap makes the export (and kcp v0.32 its slice) in root:kube-bind. Pointed at root it finds nothing.
    const c = await compileExample('idp');
    const step = c.prerequisites.find((p) => p.title === 'kcp kubeconfig for the kube-bind backend in cluster observability')!;
    expect(step.command).toContain('at https://kcp.platform.example.com/clusters/root:kube-bind>');
    expect(c.prerequisites.map((p) => p.title)).toContain('workspace root:team:observability binds the platform\'s kube-bind.io APIExport in root:kube-bind');
    const mesh = new Mesh(delivered());
    const t = new Team(mesh, 'obs');
    t.addCluster('cluster', { name: 'obs', server: 'https://obs.example.com' })
      .addKubeBindBackend('kb', { kcpWorkspace: t.workspace!, platformWorkspace: 'root:platform' });
    const own = compile(mesh).prerequisites.find((p) => p.title.startsWith('kcp kubeconfig for the kube-bind backend'))!;
    expect(own.command).toContain('/clusters/root:platform>');
  });

  it('offers the Postgres API bound in the workspace, from the workspace, and binds it in the cluster', async () => {
    const c = await compileExample('idp');
    const ws = objects(c, 'kcp/root/team/observability');
    // The backend generates the template for the workspace's binding; p2c admits the cluster to it.
    expect(one(ws, 'APIServiceExportTemplate')).toEqual([]);
    const brr = one(ws, 'BindableResourcesRequest')[0]!;
    expect(brr.metadata.namespace).toBe('kube-bind');
    // kube-bind v0.8.2 bindableresourcesrequest_controller.go: a templateRef is only checked for existence, and one
    // the backend has not generated yet fails the request for good (TemplateNotFound, no retry), so none is written.
    for (const r of c.manifests.map((m) => m.object).filter((o) => o.kind === 'BindableResourcesRequest')) {
      expect(Object.keys(r['spec'] as object).sort()).toEqual(['author', 'clusterIdentity', 'kubeconfigSecretRef']);
    }
    const request = c.prerequisites.flatMap((p) => p.file?.objects ?? []).find((o) => o.kind === 'APIServiceExportRequest')!;
    expect((request['spec'] as { resources: unknown }).resources).toEqual([{ group: 'database.example.com', resource: 'postgreses', versions: ['v1alpha1'] }]);
    const binding = one(objects(c, 'clusters/observability/_stage-1'), 'APIServiceBinding')[0]!;
    expect((binding['spec'] as { kubeconfigSecretRef: { name: string } }).kubeconfigSecretRef.name).toBe('kubeconfig-observability-workspace');
  });
});

describe('kube-bind rules (P2C022)', () => {
  it('offering a kcp binding from a backend that is not in kcp mode', () => {
    const { mesh, cluster, webshop, postgres } = smallMesh();
    const b = webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
    cluster.addKubeBindBackend('kb').offer('pg', { api: b });
    expect(compile(mesh).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([`P2C022 offer 'database.example.com' offers a kcp binding, but its backend is not in kcp mode`]);
  });

  it('a kcp-mode offer naming a binding the workspace does not have', () => {
    const { mesh, database, webshop, postgres } = smallMesh();
    const foreign = webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
    const dbCluster = database.node.findChild('cluster') as ComputeCluster;
    dbCluster.addKubeBindBackend('kb', { kcpWorkspace: database.workspace! }).offer('pg', { api: foreign, name: 'pg' });
    const ds = compile(mesh).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['P2C022']);
    expect(ds[0]!.message).toContain("which root:team:database does not have");
  });

  it('a cluster binding from its own backend', () => {
    const mesh = new Mesh(delivered());
    const cl = new Team(mesh, 'p', { workspace: false }).addCluster('cluster', { name: 'provider', server: 'https://provider.clusters.example.com' });
    const offer = cl.addKubeBindBackend('kb').offer('pg', { api: postgresCrd });
    cl.bindWithKubeBind('pg', { offer });
    expect(compile(mesh).diagnostics.map((d) => d.code)).toEqual(['P2C022']);
  });
});
