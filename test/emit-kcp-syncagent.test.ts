import { describe, expect, it } from 'vitest';
import * as kplus from 'cdk8s-plus-28';
import { ApiObject } from 'cdk8s';
import { compile, Team } from '../src/index.js';
import type { KubeObject } from '../src/model/mesh.js';
import { idpMesh } from './fixtures/idp.js';
import { smallMesh } from './support/mesh.js';

function objectsIn(c: ReturnType<typeof compile>, folder: string): KubeObject[] {
  return (c.layout.folders.get(folder) ?? []).map((p) => p.object);
}
const find = (objs: KubeObject[], kind: string, name?: string) => objs.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));

describe('kcp emitter', () => {
  const c = compile(idpMesh());

  it('puts each Workspace into its parent folder, creating implied parents', () => {
    expect(objectsIn(c, 'kcp/root').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Workspace/team']);
    expect(objectsIn(c, 'kcp/root/team').map((o) => o.metadata.name).sort()).toEqual(['database', 'observability', 'webshop']);
  });

  it('the APIExport carries exactly the claims api-syncagent writes, with verbs ["*"]', () => {
    const exp = find(objectsIn(c, 'kcp/root/team/database'), 'APIExport')!;
    expect(exp.apiVersion).toBe('apis.kcp.io/v1alpha2');
    expect(exp.spec).toEqual({
      permissionClaims: [
        { group: '', resource: 'events', verbs: ['*'] },
        { group: '', resource: 'namespaces', verbs: ['*'] },
        { group: '', resource: 'secrets', verbs: ['*'] },
      ],
    });
  });

  it('grants bind on the export by resourceName to the declared consumers only', () => {
    const db = objectsIn(c, 'kcp/root/team/database');
    const role = find(db, 'ClusterRole', 'p2c:bind:database.example.com')!;
    expect(role['rules']).toEqual([{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: ['database.example.com'], verbs: ['bind'] }]);
    const binding = find(db, 'ClusterRoleBinding', 'p2c:bind:database.example.com')!;
    expect((binding['subjects'] as Array<{ name: string }>).map((s) => s.name)).toEqual(['team:observability', 'team:webshop']);
    const obsBind = find(objectsIn(c, 'kcp/root/team/observability'), 'ClusterRoleBinding', 'p2c:bind:observability.example.com')!;
    expect((obsBind['subjects'] as Array<{ name: string }>).map((s) => s.name)).toEqual(['team:webshop']);
  });

  it('writes an APIBinding per consumer referencing {path, name}, each claim Accepted with a selector', () => {
    const b = find(objectsIn(c, 'kcp/root/team/webshop'), 'APIBinding', 'observability.example.com')!;
    const spec = b['spec'] as { reference: unknown; permissionClaims: Array<{ state: string; selector: unknown; resource: string }> };
    expect(spec.reference).toEqual({ export: { path: 'root:team:observability', name: 'observability.example.com' } });
    expect(spec.permissionClaims.map((p) => p.resource)).toEqual(['events', 'namespaces', 'secrets']);
    expect(spec.permissionClaims.every((p) => p.state === 'Accepted' && JSON.stringify(p.selector) === '{"matchAll":true}')).toBe(true);
  });

  it('a provider nobody binds gets the bind ClusterRole but no subjects', () => {
    const { mesh } = smallMesh();
    const objs = objectsIn(compile(mesh), 'kcp/root/team/database');
    expect(find(objs, 'ClusterRole', 'p2c:bind:database.example.com')).toBeDefined();
    expect(find(objs, 'ClusterRoleBinding', 'p2c:bind:database.example.com')).toBeUndefined();
  });
});

describe('api-syncagent emitter', () => {
  const c = compile(idpMesh());
  const db = objectsIn(c, 'clusters/database');

  it('publishes the CRD with a PublishedResource carrying the related Secret', () => {
    const pr = find(db, 'PublishedResource', 'postgreses.database.example.com')!;
    expect(pr['spec']).toEqual({
      resource: { apiGroup: 'database.example.com', kind: 'Postgres', versions: ['v1alpha1'] },
      related: [{ identifier: 'credentials', origin: 'service', group: '', version: 'v1', resource: 'secrets', object: { reference: { path: 'spec.connectionSecretName' } } }],
    });
    expect(pr.metadata.labels!['p2c.dev/api-syncagent']).toBe('database-postgres');
    expect(find(db, 'CustomResourceDefinition', 'postgreses.database.example.com')).toBeDefined();
  });

  it('runs the agent against the endpoint slice, never the removed --apiexport-ref flag', () => {
    const d = find(db, 'Deployment')!;
    const pod = (d['spec'] as { template: { spec: { containers: Array<{ args: string[] }>; volumes: Array<{ secret: { secretName: string } }> } } }).template.spec;
    const args = pod.containers[0]!.args;
    expect(args).toContain('--apiexportendpointslice-ref=database.example.com');
    expect(args).toContain('--agent-name=database-postgres');
    expect(args).toContain('--published-resource-selector=p2c.dev/api-syncagent=database-postgres');
    expect(args.some((a) => a.startsWith('--apiexport-ref'))).toBe(false);
    expect(pod.volumes[0]!.secret.secretName).toBe('kcp-kubeconfig');
  });

  it('references the kcp kubeconfig Secret and never writes one', () => {
    expect(c.manifests.filter((m) => m.object.kind === 'Secret')).toEqual([]);
  });

  it('scopes agent RBAC to the published kinds and related resources; no wildcards', () => {
    const role = find(db, 'ClusterRole', 'p2c:api-syncagent:database-postgres')!;
    const rules = role['rules'] as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    expect(rules).toContainEqual({ apiGroups: ['database.example.com'], resources: ['postgreses', 'postgreses/status'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] });
    // The chart's Secret verbs (kcp-dev/helm-charts charts/api-syncagent templates/rbac.yaml): no patch, no delete.
    expect(rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update'] });
    for (const o of c.manifests.map((m) => m.object).filter((o) => /Role$/.test(o.kind))) {
      for (const r of (o['rules'] as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>) ?? []) {
        expect([...r.apiGroups, ...r.resources, ...r.verbs], `${o.kind}/${o.metadata.name}`).not.toContain('*');
      }
    }
  });

  it('agent may list the endpoint slices of its workspace: its cache lists them unscoped', () => {
    // api-syncagent v0.7.0 (cmd/api-syncagent/main.go, kcp.go, internal/discovery/resource_prober.go): the slice beside
    // its export is read through the export's cache, which selects by name only for APIExports; a list scoped by
    // resourceNames is refused, and the agent never starts syncing (seen in the live suite).
    const role = find(objectsIn(c, 'kcp/root/team/database'), 'ClusterRole', 'p2c:api-syncagent:database-postgres')!;
    const rules = role['rules'] as Array<{ apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }>;
    const slices = rules.filter((r) => r.resources.includes('apiexportendpointslices'));
    expect(slices).toEqual([{ apiGroups: ['apis.kcp.io'], resources: ['apiexportendpointslices'], verbs: ['get', 'list', 'watch'] }]);
    // The export itself stays scoped to its name: that cache does select by name.
    expect(rules.find((r) => r.resources.includes('apiexports'))!.resourceNames).toEqual(['database.example.com']);
  });

  it('a cluster with nothing to run still gets a folder that builds', () => {
    expect(c.files.get('clusters/webshop/kustomization.yaml')).toContain('resources: []');
  });
});

describe('user objects from cdk8s and cdk8s-plus', () => {
  it('land in the folder of the workspace or cluster they were added to', () => {
    const { mesh, cluster, database } = smallMesh();
    new kplus.ConfigMap(cluster, 'settings', { metadata: { name: 'postgres-settings', namespace: 'postgres' }, data: { maxConnections: '100' } });
    new ApiObject((database as Team).workspace!, 'quota', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'team-info' }, data: { owner: 'database' } });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    expect(c.files.get('clusters/database/manifest.yaml')).toContain('maxConnections: "100"');
    expect(c.files.get('kcp/root/team/database/manifest.yaml')).toContain('owner: database');
    expect(c.layout.folders.get('clusters/database')!.map((p) => p.id)).toContain('ConfigMap/postgres/postgres-settings');
  });

  it('a finding about a plain cdk8s or cdk8s-plus object points at the line that created it, not at its cluster', () => {
    const { mesh, cluster } = smallMesh();
    const here = () => Number(new Error().stack!.split('\n')[2]!.match(/:(\d+):\d+\)?$/)![1]);
    const plainLine = here() + 1;
    new ApiObject(cluster, 'odd', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'x' } });
    const plusLine = here() + 1;
    new kplus.ConfigMap(cluster, 'bad', { metadata: { name: 'Bad_Name', namespace: 'postgres' } });
    const ds = compile(mesh).diagnostics;
    const plain = ds.find((d) => d.message.includes('Gadget'))!;
    const plus = ds.find((d) => d.message.includes('Bad_Name'))!;
    expect([plain.location, plain.constructPath]).toEqual([`test/emit-kcp-syncagent.test.ts:${plainLine}`, 'database/cluster/odd']);
    expect(plus.location).toBe(`test/emit-kcp-syncagent.test.ts:${plusLine}`);
    expect(plus.constructPath).toMatch(/^database\/cluster\/bad/);
  });
});
