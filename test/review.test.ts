import { describe, expect, it } from 'vitest';
import { compileExample } from './support/examples.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { compile, MeshError, Mesh, Team, synth } from '../src/index.js';
import { commentBudget, formatMarkdown, reviewBetween } from '../src/review/report.js';
import { contractChanges, unintended } from '../src/review/contracts.js';
import { delivered, postgresCrd } from './support/mesh.js';
import { p2c, tempDir } from './support/run.js';

type Crd = { spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown>; required?: string[] } } } } }> } };
const basePostgres = parse(fs.readFileSync(postgresCrd, 'utf8')) as Crd;
const specOf = (crd: Crd) => crd.spec.versions[0]!.schema.openAPIV3Schema.properties.spec;

interface Variant {
  consumers?: string[];
  reject?: boolean;
  crd?: (crd: Crd) => void;
  breakingChange?: string;
  /** A WorkspaceType `tenant` in root binding Postgres into every new workspace of it. */
  defaultBinding?: boolean;
}

/** Database provides Postgres; each consumer team binds it. */
function output(v: Variant = {}): Map<string, string> {
  const mesh = new Mesh(delivered());
  const database = new Team(mesh, 'database');
  const cluster = database.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com' });
  const crd = structuredClone(basePostgres);
  v.crd?.(crd);
  const postgres = database.provide('postgres', {
    cluster, crd: crd as never,
    related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName' }],
    ...(v.breakingChange ? { breakingChange: v.breakingChange } : {}),
  });
  if (v.defaultBinding) mesh.workspaceType('tenant', { path: 'root', defaultAPIBindings: [{ api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] }] });
  for (const name of v.consumers ?? ['webshop']) {
    const reject = v.reject && name === 'webshop';
    new Team(mesh, name).bind('postgres', { api: postgres, acceptClaims: reject ? ['events', 'namespaces'] : ['events', 'namespaces', 'secrets'], ...(reject ? { rejectClaims: ['secrets'] } : {}) });
  }
  const c = compile(mesh);
  expect(c.diagnostics).toEqual([]);
  return new Map(c.files);
}

const sectionOf = (md: string, n: number) => md.slice(md.indexOf(`#### ${n}.`), md.indexOf(`#### ${n + 1}.`) >= 0 ? md.indexOf(`#### ${n + 1}.`) : undefined);

describe('the review a pull request gets, most dangerous first', () => {
  it('a team that stops consuming: its APIBinding leaving is in the first section, and its access goes', () => {
    const md = formatMarkdown(reviewBetween(output({ consumers: ['webshop', 'analytics'] }), output({ consumers: ['webshop'] })));
    expect(sectionOf(md, 1)).toMatch(/#### 1\. ⚠ Deletes or orphans data \(2\)/);
    expect(sectionOf(md, 1)).toContain('- Workspace analytics in workspace root:team leaves the output: kept');
    expect(sectionOf(md, 1)).toContain('- APIBinding database.example.com in workspace root:team:analytics leaves the output: kept');
    expect(sectionOf(md, 2)).toContain('- Group team:analytics may no longer bind APIExport database.example.com (workspace root:team:database)');
    expect(md.indexOf('#### 1.')).toBeLessThan(md.indexOf('#### 4.'));
  });

  it('a new consumer appears by name as able to bind, and nobody reads as losing access', () => {
    const review = reviewBetween(output({ consumers: ['webshop'] }), output({ consumers: ['analytics', 'webshop'] }));
    expect(review.access.granted).toEqual(['Group team:analytics may now bind APIExport database.example.com (workspace root:team:database)']);
    expect(review.access.revoked).toEqual([]);
    const md = formatMarkdown(review);
    expect(sectionOf(md, 2)).toContain('**May now bind (1)**');
    // The ClusterRoleBinding's subjects compared as a set: one added, none replaced.
    expect(md).toContain('`subjects[+]`');
    expect(md).not.toMatch(/`subjects\[\d+\]/);
  });

  it('a rejected claim is shown in words, for a new binding and for a changed one', () => {
    const added = reviewBetween(output({ consumers: [] }), output({ consumers: ['webshop'], reject: true }));
    expect(added.access.claims).toContain('workspace root:team:webshop rejects the secrets claim of APIExport root:team:database:database.example.com');
    const changed = formatMarkdown(reviewBetween(output(), output({ reject: true })));
    expect(sectionOf(changed, 2)).toContain('workspace root:team:webshop now rejects the secrets claim of APIExport root:team:database:database.example.com (was Accepted)');
  });

  it('a default binding reads as claims accepted for every new workspace of the type, and its removal too', () => {
    const added = reviewBetween(output(), output({ defaultBinding: true }));
    const sentence = 'every new workspace of WorkspaceType tenant (workspace root) binds APIExport root:team:database:database.example.com, accepting all its claims';
    expect(added.access.claims).toContain(sentence);
    expect(added.access.granted).toContain('Group platform may now bind APIExport database.example.com (workspace root:team:database)');
    const removed = reviewBetween(output({ defaultBinding: true }), output());
    expect(removed.access.claims).toContain('every new workspace of WorkspaceType tenant (workspace root) no longer binds APIExport root:team:database:database.example.com');
  });

  it('a CRD change that breaks consumers names them; a compatible one does not fail', () => {
    const removed = reviewBetween(output(), output({ crd: (c) => { delete specOf(c).properties['storage']; } }));
    const breaking = removed.contracts.filter((c) => c.breaking);
    expect(breaking).toEqual([expect.objectContaining({ api: 'postgreses.database.example.com', field: 'spec.storage', rule: 'field removed', consumers: ['workspace root:team:webshop'] })]);
    expect(unintended(removed.contracts)).toHaveLength(1);
    expect(sectionOf(formatMarkdown(removed), 3)).toContain('❌ breaking: postgreses.database.example.com v1alpha1 spec.storage: field removed (its values are pruned from every instance) — affects workspace root:team:webshop');
    const added = reviewBetween(output(), output({ crd: (c) => { specOf(c).properties['tier'] = { type: 'string' }; } }));
    expect(added.contracts.map((c) => `${c.rule} ${c.breaking}`)).toEqual(['field added false']);
    const intended = reviewBetween(output(), output({ crd: (c) => { delete specOf(c).properties['storage']; }, breakingChange: 'storage moves to the class' }));
    expect(unintended(intended.contracts)).toEqual([]);
    expect(intended.contracts[0]!.intended).toBe('storage moves to the class');
  });

  it('classifies each upgrade-safety rule, by class', () => {
    const cases: Array<[string, (c: Crd) => void]> = [
      ['type changed', (c) => { specOf(c).properties['storage'] = { type: 'integer' }; }],
      ['new required field', (c) => { specOf(c).required = [...(specOf(c).required ?? []), 'connectionSecretName']; }],
      ['enum added', (c) => { (specOf(c).properties['storage'] as Record<string, unknown>)['enum'] = ['1Gi']; }],
      ['enum values removed', (c) => { (specOf(c).properties['version'] as Record<string, unknown>)['enum'] = ['17']; }],
      ['default added', (c) => { (specOf(c).properties['storage'] as Record<string, unknown>)['default'] = '1Gi'; }],
      ['constraint added', (c) => { (specOf(c).properties['storage'] as Record<string, unknown>)['maxLength'] = 4; }],
      ['constraint added', (c) => { (specOf(c).properties['connectionSecretName'] as Record<string, unknown>)['pattern'] = '^[a-z]+$'; }],
      ['version no longer served', (c) => { (c.spec.versions[0] as unknown as { served: boolean }).served = false; }],
      ['scope changed', (c) => { (c.spec as unknown as { scope: string }).scope = 'Cluster'; }],
    ];
    for (const [rule, change] of cases) {
      const found = contractChanges(output(), output({ crd: change }));
      expect(found.map((c) => c.rule), rule).toContain(rule);
      expect(found.find((c) => c.rule === rule)!.breaking, rule).toBe(true);
    }
  });

  it('an unchanged API in a changed file is no change, when the base holds only the changed files', async () => {
    // synth's vet hands over only the files the write replaces. The webshop workspace's file changes (another document
    // in it) while its APIResourceSchema stays as it was; the other APIs' unchanged files are in the new output only.
    // That read as "webshops.webshop.example.com: API removed" and refused an upgrade of p2c.
    const before = (await compileExample('idp')).files;
    const file = 'kcp/root/team/webshop/manifest.yaml';
    expect(before.get(file)).toMatch(/^kind: APIResourceSchema$/m);
    const after = new Map(before).set(file, `${before.get(file)}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n`);
    expect(contractChanges(new Map([[file, before.get(file)!]]), after)).toEqual([]);
    // A real change in that file is still found.
    const narrowed = before.get(file)!.replace('minimum: 1', 'minimum: 2');
    expect(narrowed).not.toBe(before.get(file));
    const found = contractChanges(new Map([[file, before.get(file)!]]), new Map(before).set(file, narrowed));
    expect(found.map((c) => `${c.api} ${c.rule}`)).toEqual(['webshops.webshop.example.com minimum raised']);
  });

  it('synth refuses a breaking change against the previous output unless the provider marks it intended', async () => {
    const out = path.join(tempDir('p2c-contract-'), 'out');
    const mesh = (v: Variant) => {
      const m = new Mesh(delivered());
      const database = new Team(m, 'database');
      const crd = structuredClone(basePostgres);
      v.crd?.(crd);
      const api = database.provide('postgres', { cluster: database.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: crd as never, ...(v.breakingChange ? { breakingChange: v.breakingChange } : {}) });
      new Team(m, 'webshop').bind('postgres', { api, acceptClaims: ['events'] });
      return m;
    };
    await synth(mesh({}), { outdir: out });
    const drop = (c: Crd) => { delete specOf(c).properties['storage']; };
    const refused = await synth(mesh({ crd: drop }), { outdir: out }).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(MeshError);
    expect((refused as MeshError).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(/^P2C037 postgreses\.database\.example\.com v1alpha1 spec\.storage: field removed .* affects workspace root:team:webshop/)]);
    expect((refused as MeshError).diagnostics[0]!.location).toMatch(/review\.test\.ts:\d+$/);
    await synth(mesh({ crd: drop, breakingChange: 'storage moves to the class' }), { outdir: out });
  });
});

describe('a large change stays a comment GitHub accepts', () => {
  /** Outputs of n clusters with an agent Deployment each; `image(i)` per cluster. */
  const outputs = (n: number, image: (i: number) => string) => {
    const tree = new Map<string, string>([['MESH.md', '# mesh\n']]);
    for (let i = 0; i < n; i++) {
      tree.set(`clusters/c${i}/manifest.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-syncagent\n  namespace: kcp-api-syncagent\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: ${image(i)}\n`);
    }
    return tree;
  };

  it('an image bump across 300 clusters is one grouped change, far under the limit', () => {
    const md = formatMarkdown(reviewBetween(outputs(300, () => 'ghcr.io/kcp-dev/api-syncagent:v0.7.0'), outputs(300, () => 'ghcr.io/kcp-dev/api-syncagent:v0.8.0')));
    expect(md.length).toBeLessThan(commentBudget);
    expect(md).toContain('Same change to Deployment `api-syncagent` in 300 folders');
  });

  it('300 different changes are cut at the budget, with a pointer to the full list', () => {
    const md = formatMarkdown(reviewBetween(outputs(300, (i) => `example.com/agent:${i}`), outputs(300, (i) => `example.com/agent:${i}-${'x'.repeat(300)}`)));
    expect(md.length).toBeLessThan(commentBudget);
    expect(md).toMatch(/_\d+ more folders not shown: .*--format json/);
  });
});

describe('p2c diff refuses sides that hold no output', () => {
  it('a wrong --path is an error, not "no changes", also with --exit-code', () => {
    const dir = tempDir('p2c-sides-');
    for (const side of ['a', 'b']) {
      fs.mkdirSync(path.join(dir, side, 'dist'), { recursive: true });
      fs.writeFileSync(path.join(dir, side, 'dist/MESH.md'), '# mesh\n');
    }
    const wrong = p2c(['diff', 'a/wrong', 'b/wrong', '--exit-code'], dir);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('is neither a folder nor a Git revision');
    fs.mkdirSync(path.join(dir, 'a/other'));
    fs.writeFileSync(path.join(dir, 'a/other/notes.yaml'), 'a: 1\n');
    const notOutput = p2c(['diff', 'a/other', 'b/dist', '--exit-code'], dir);
    expect(notOutput.status).toBe(2);
    expect(notOutput.stderr).toContain('a/other holds no p2c output');
    expect(p2c(['diff', 'a/dist', 'b/dist', '--exit-code'], dir).status).toBe(0);
  });
});
