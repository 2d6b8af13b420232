import { describe, expect, it } from 'vitest';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { compile, Mesh, Team } from '../src/index.js';
import { wildcardExceptions } from '../src/validate/security.js';
import { writeOutput } from '../src/output/write.js';
import { delivered, smallMesh, postgresCrd } from './support/mesh.js';
import { compileExample } from './support/examples.js';
import { tempDir, readTree } from './support/run.js';
import * as path from 'node:path';

describe('security rules enforced by the compiler', () => {
  it('P2C023: a user role granting "*" is refused, with the rule named', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'admin', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'too-much' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    const ds = compile(mesh).diagnostics;
    expect(ds.map((d) => `${d.code} ${d.message}`)).toEqual(['P2C023 ClusterRole too-much rule 0 grants verb *, resource *, group *']);
  });

  it('P2C012: a Secret from cdk8s-plus with data is refused too', () => {
    const { mesh, cluster } = smallMesh();
    new kplus.Secret(cluster, 'db', { stringData: { password: 'hunter2' } });
    expect(compile(mesh).diagnostics.map((d) => d.code)).toContain('P2C012');
  });

  it('the examples grant bind only to declared consumers and reference every credential', async () => {
    for (const name of ['idp', 'kube-to-kube'] as const) {
      const c = await compileExample(name);
      expect(c.manifests.filter((m) => m.object.kind === 'Secret')).toEqual([]);
      for (const e of c.mesh.exports) {
        const binding = c.manifests.find((m) => m.object.kind === 'ClusterRoleBinding' && m.object.metadata.name === `p2c:bind:${e.name}`);
        const subjects = ((binding?.object['subjects'] as Array<{ name: string }>) ?? []).map((s) => s.name).sort();
        expect(subjects).toEqual([...new Set(e.consumers.map((b) => `team:${b.team}`))].sort());
      }
    }
  });

  it('the wildcard exceptions are named in code and README', async () => {
    const fs = await import('node:fs');
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(wildcardExceptions.length).toBe(1);
    expect(readme).toContain('verbs: ["*"]');
  });

  it('object names cannot escape the output folder', () => {
    const mesh = new Mesh(delivered());
    const t = new Team(mesh, 'a');
    const c = t.addCluster('cluster', { name: 'a', server: 'https://a.clusters.example.com' });
    t.provide('api', { cluster: c, crd: postgresCrd });
    new ApiObject(c, 'evil', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '../../../etc/passwd' } });
    const comp = compile(mesh);
    expect([...comp.files.keys()].every((f) => !f.split('/').includes('..'))).toBe(true);
    expect(comp.diagnostics.map((d) => d.code)).toContain('P2C011'); // and the name itself is rejected by the schema
    const out = path.join(tempDir(), 'out');
    writeOutput(out, comp.files);
    expect([...readTree(out).keys()].every((f) => !f.startsWith('..'))).toBe(true);
  });
});

describe('guardrails hold however an object reaches the output', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, stringData: { password: 'hunter2' } };
  const role = (rules: object[], extra: object = {}) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules, ...extra });
  const list = (items: object[]) => ({ apiVersion: 'v1', kind: 'List', metadata: { name: 'l' }, items });
  const graph = (template: object) => ({
    apiVersion: 'kro.run/v1alpha1', kind: 'ResourceGraphDefinition', metadata: { name: 'g' },
    spec: { schema: { apiVersion: 'v1alpha1', kind: 'Thing', spec: { name: 'string' } }, resources: [{ id: 'x', template }] },
  });
  // Every way in: directly, inside a List, inside a List inside a List, as a KRO template.
  const wrappers: Array<[string, (o: object) => object]> = [
    ['directly', (o) => o],
    ['in a List', (o) => list([o])],
    ['in a nested List', (o) => list([list([o])])],
    ['in a KRO template', (o) => graph(o)],
  ];
  const codesFor = (o: object) => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'x', o as never);
    return compile(mesh).diagnostics.map((d) => d.code);
  };
  const attacks: Array<[string, object, string]> = [
    ['a Secret with data', secret, 'P2C012'],
    ['a wildcard role', role([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }]), 'P2C023'],
    ['escalate', role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }]), 'P2C026'],
    ['bind', role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }]), 'P2C026'],
    ['impersonate', role([{ apiGroups: [''], resources: ['users', 'groups'], verbs: ['impersonate'] }]), 'P2C026'],
    ['pods/exec', role([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]), 'P2C026'],
    ['pods/attach', role([{ apiGroups: [''], resources: ['pods/attach'], verbs: ['create'] }]), 'P2C026'],
    ['nodes/proxy', role([{ apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] }]), 'P2C026'],
    ['services/proxy', role([{ apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] }]), 'P2C026'],
    ['every non-resource URL', role([{ nonResourceURLs: ['*'], verbs: ['get'] }]), 'P2C026'],
    ['cluster-wide Secret reads', role([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]), 'P2C026'],
    ['an aggregationRule', role([], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }), 'P2C026'],
    ['bind on every APIExport', role([{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], verbs: ['bind'] }]), 'P2C026'],
    ['a binding to cluster-admin', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] }, 'P2C026'],
    ['a binding to system:masters', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'system:masters', apiGroup: 'rbac.authorization.k8s.io' }] }, 'P2C026'],
    ...['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'].map((g): [string, object, string] => [`a binding to ${g}`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'n' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: g, apiGroup: 'rbac.authorization.k8s.io' }] }, 'P2C027']),
    ['bind on cluster-admin by name', role([{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }]), 'P2C026'],
    ['impersonating system:masters by name', role([{ apiGroups: [''], resources: ['groups'], resourceNames: ['system:masters'], verbs: ['impersonate'] }]), 'P2C026'],
    ['minting service-account tokens', role([{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]), 'P2C026'],
    ['a role aggregated into a built-in one', role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }], { metadata: { name: 'r', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } } }), 'P2C026'],
    ...['admin', 'edit'].map((n): [string, object, string] => [`a cluster-wide binding to ${n}`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: n }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] }, 'P2C026']),
    ['a binding to system:anonymous', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'n' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'system:anonymous', apiGroup: 'rbac.authorization.k8s.io' }] }, 'P2C027'],
  ];
  for (const [attack, object, code] of attacks) {
    for (const [how, wrap] of wrappers) {
      it(`${code}: ${attack}, ${how}`, () => expect(codesFor(wrap(object))).toContain(code));
    }
  }

  it('scoped RBAC passes: bind and escalate by resourceNames, namespaced Secret reads, Secret reads by name', () => {
    expect(codesFor(role([{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: ['x'], verbs: ['bind'] }]))).toEqual([]);
    expect(codesFor({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] })).toEqual([]);
    expect(codesFor(role([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] }]))).toEqual([]);
  });

  it('a KRO template Secret whose values are all expressions holds nothing in Git; a literal value is refused', () => {
    expect(codesFor(graph({ ...secret, stringData: { password: '${db.status.password}' } }))).not.toContain('P2C012');
    expect(codesFor(graph({ ...secret, stringData: '${db.status.credentials}' }))).not.toContain('P2C012');
    expect(codesFor(graph({ ...secret, stringData: { password: '${db.status.password}', user: 'admin' } }))).toContain('P2C012');
    // A literal dressed as an expression is still a literal.
    for (const v of ['${"hunter2"}', "${'hunter2'}", '${string("hunter2") + ""}']) expect(codesFor(graph({ ...secret, stringData: { password: v } })), v).toContain('P2C012');
  });

  it('a KRO template binding whose role comes from an expression is refused; malformed rules fail closed, never crash', () => {
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: '${schema.spec.role}' }, subjects: [{ kind: 'User', name: 'x', apiGroup: 'rbac.authorization.k8s.io' }] };
    expect(codesFor(graph(binding))).toContain('P2C026');
    expect(codesFor(graph({ ...binding, roleRef: { ...binding.roleRef, name: 'view' }, subjects: '${schema.spec.subjects}' }))).toContain('P2C026');
    expect(codesFor(graph({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules: '${schema.spec.rules}' }))).toContain('P2C026');
    const odd = codesFor(graph({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: 42 }));
    expect(odd.filter((c) => c === 'P2C026' || c === 'P2C023')).toEqual([]);
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'x', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'n' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: 'oops' } as never);
    expect(() => compile(mesh)).not.toThrow();
  });

  it('the public-access exception lifts only a binding of a role that grants bind on named APIExports', () => {
    const annotations = { 'p2c.dev/security-exception': 'public-access,rbac-escalation: because' };
    const crb = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b', annotations }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:unauthenticated', apiGroup: 'rbac.authorization.k8s.io' }] };
    expect(codesFor(crb)).toContain('P2C027');
  });

  it('a documented exception lifts only the RBAC finding it names, and needs a reason', () => {
    const annotated = (value: string) => role([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], { metadata: { name: 'r', annotations: { 'p2c.dev/security-exception': value } } });
    expect(codesFor(annotated('rbac-escalation: the controller caches every Secret'))).toEqual([]);
    expect(codesFor(annotated('rbac-escalation:'))).toContain('P2C026');
    expect(codesFor(annotated('public-access: wrong one'))).toContain('P2C026');
    // Never for data.
    expect(codesFor({ ...secret, metadata: { name: 's', namespace: 'n', annotations: { 'p2c.dev/security-exception': 'secret-data: please' } } })).toContain('P2C012');
  });

  it('the generated roles that need a cluster-wide Secret read say why, on the object', async () => {
    for (const name of ['idp', 'kube-to-kube'] as const) {
      const c = await compileExample(name);
      const roles = c.manifests.map((m) => m.object).filter((o) => o.kind === 'ClusterRole' && JSON.stringify(o).includes('"secrets"') && !JSON.stringify(o).includes('resourceNames'));
      expect(roles.length).toBeGreaterThan(0);
      for (const r of roles) expect(r.metadata.annotations?.['p2c.dev/security-exception'], r.metadata.name).toMatch(/^rbac-escalation: .{20,}/);
    }
  });

  const credentials: Array<[string, string, string]> = [
    ['an RSA private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----', 'P2C028'],
    ['an OpenSSH private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----', 'P2C028'],
    ['a PKCS#8 private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----', 'P2C028'],
    ['a kubeconfig with a token', 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: abcdefghijklmnop0123456789', 'P2C029'],
    ['a kubeconfig with a client key', 'apiVersion: v1\nclusters: []\nusers:\n- name: u\n  user:\n    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRF\nkind: Config', 'P2C029'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE', 'P2C030'],
    ['an Azure storage key', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy==', 'P2C030'],
    ['a GCP service-account key', '{"type": "service_account", "project_id": "p"}', 'P2C030'],
    ['a GitHub token', 'ghp_' + 'a'.repeat(36), 'P2C031'],
    ['a GitLab token', 'glpat-' + 'b'.repeat(20), 'P2C031'],
    ['a Slack token', 'xoxb-1234567890-abcdef', 'P2C031'],
    ['a JSON kubeconfig with a token', '{"apiVersion": "v1", "kind": "Config", "users": [{"name": "u", "user": {"token": "abcdefghijklmnop0123456789"}}]}', 'P2C029'],
    ['a PGP private key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----', 'P2C028'],
    ['a password in a URL', 'https://admin:Sup3rS3cretPassw0rd@git.example.com/platform/mesh.git', 'P2C031'],
    ['a service-account JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlc2lnbmF0dXJl', 'P2C031'],
  ];
  const places: Array<[string, (value: string) => object]> = [
    ['a ConfigMap', (v) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { value: v } })],
    ['an env value', (v) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'X', value: v }] }] } } } })],
    ['an annotation', (v) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', annotations: { 'example.com/x': v } } })],
    ['a KRO template', (v) => graph({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { value: v } })],
  ];
  for (const [what, value, code] of credentials) {
    for (const [where, make] of places) {
      it(`${code}: ${what} in ${where}, never printed`, () => {
        const { mesh, cluster } = smallMesh();
        new ApiObject(cluster, 'x', make(value) as never);
        const ds = compile(mesh).diagnostics.filter((d) => d.code === code);
        expect(ds.length).toBe(1);
        expect(ds[0]!.message).not.toContain(value.slice(-12));
      });
    }
  }

  it('a private key in base64 inside a ConfigMap value is found too', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { key: Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n').toString('base64') } });
    expect(compile(mesh).diagnostics.map((d) => d.code)).toContain('P2C028');
  });

  it('a private key in base64 binaryData is found too', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, binaryData: { key: Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----').toString('base64') } });
    expect(compile(mesh).diagnostics.map((d) => d.code)).toContain('P2C028');
  });

  it('a password in the mesh\'s Git URL is found in the GitOps apps', () => {
    const mesh = new Mesh(delivered({ gitops: { repoURL: 'https://oauth2:glpat-abcdefghijklmnopqrst@gitlab.example.com/p/mesh.git', engines: ['argocd', 'flux'] } }));
    const team = new Team(mesh, 'database');
    team.addCluster('cluster', { name: 'database', server: 'https://d.example.com' });
    expect(compile(mesh).diagnostics.map((d) => d.code)).toContain('P2C031');
  });

  it('ordinary values are not credentials: identity hashes, image digests, certificates, prose', () => {
    const { mesh, cluster } = smallMesh();
    new ApiObject(cluster, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: {
      hash: '3f1b9c2e7a4d6058b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4',
      image: 'ghcr.io/x/y@sha256:' + 'a'.repeat(64),
      ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      note: 'set the token field of your kubeconfig (kind: Config) to your own',
      url: 'https://git.example.com/platform/mesh.git', ssh: 'ssh://git@github.com/org/repo.git', mail: 'mailto:team@example.com',
    } });
    expect(compile(mesh).diagnostics).toEqual([]);
  });

  it('a team whose subject is everyone needs the export declared public; then the binding says so', () => {
    const build = (open: boolean) => {
      const mesh = new Mesh(delivered());
      const db = new Team(mesh, 'database');
      const all = new Team(mesh, 'everyone', { subjects: [{ kind: 'Group', name: 'system:authenticated' }] });
      const pg = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://d.example.com' }), crd: postgresCrd, public: open, related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName' }] });
      all.bind('postgres', { api: pg, acceptClaims: ['events', 'namespaces', 'secrets'] });
      return compile(mesh);
    };
    expect(build(false).diagnostics.map((d) => d.code)).toContain('P2C027');
    const c = build(true);
    expect(c.diagnostics).toEqual([]);
    const crb = c.manifests.map((m) => m.object).find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'p2c:bind:database.example.com')!;
    expect(crb.metadata.annotations?.['p2c.dev/security-exception']).toBe('public-access: the export is declared public');
  });
});
