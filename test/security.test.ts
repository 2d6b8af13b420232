import { describe, expect, it } from 'vitest';
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { compile, Mesh, Team } from '../src/index.js';
import { wildcardExceptions } from '../src/validate/security.js';
import { writeOutput } from '../src/output/write.js';
import { smallMesh, postgresCrd } from './support/mesh.js';
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
    const mesh = new Mesh();
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
