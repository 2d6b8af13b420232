import { describe, expect, it } from 'vitest';
import { ApiObject, JsonPatch } from 'cdk8s';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { compile, Mesh, MeshError, synth, type Diagnostic } from '../src/index.js';
import { loadMesh } from '../src/cli/entry.js';
import { SchemaCatalog } from '../src/validate/schema-catalog.js';
import * as parallel from '../src/validate/parallel.js';
import { VerdictCache, verdictsFile } from '../src/validate/verdicts.js';
import { bindOnlyRoles, securityRulesOf } from '../src/validate/security.js';
import { smallMesh } from './support/mesh.js';
import { exampleNames } from './support/examples.js';
import { example, repoRoot } from './support/paths.js';
import { readTree, tempDir } from './support/run.js';
import { syntheticMesh } from '../bench/synthetic-mesh.js';

type Small = ReturnType<typeof smallMesh>;

function withCacheHome<T>(dir: string | undefined, run: () => T): T {
  const previous = process.env['P2C_CACHE_DIR'];
  if (dir !== undefined) process.env['P2C_CACHE_DIR'] = dir;
  try {
    return run();
  } finally {
    if (previous === undefined) delete process.env['P2C_CACHE_DIR'];
    else process.env['P2C_CACHE_DIR'] = previous;
  }
}

/** The base mesh: smallMesh with a few objects of the user's own that each mutation below breaks in one way. */
function base(change?: (m: Small) => void): Mesh {
  Mesh.reset();
  const m = smallMesh();
  new ApiObject(m.cluster, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } });
  new ApiObject(m.cluster, 'app', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
  });
  new ApiObject(m.cluster, 'project', { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'team', namespace: 'argocd' }, spec: { description: 'the team' } });
  new ApiObject(m.cluster, 'reader', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
  change?.(m);
  return m.mesh;
}

/** The findings of a synth over `outdir`, or [] when it wrote. */
async function findings(mesh: Mesh, outdir: string, cache = true): Promise<string[]> {
  try {
    await synth(mesh, { outdir, cache });
    return [];
  } catch (e) {
    if (!(e instanceof MeshError)) throw e;
    return e.diagnostics.map((d: Diagnostic) => `${d.code} ${d.message}`);
  }
}

/** One object of the base mesh, changed so that it is invalid, for every kind of check validation runs. */
const objectOf = (m: Small, id: string) => m.cluster.node.findChild(id) as ApiObject;
const mutations: Array<[string, (m: Small) => void]> = [
  ['a schema violation of a built-in kind', (m) => objectOf(m, 'app').addJsonPatch(JsonPatch.replace('/spec/replicas', 'two'))],
  ['a name the API server refuses', (m) => objectOf(m, 'settings').addJsonPatch(JsonPatch.replace('/metadata/name', 'Settings_1'))],
  ['a character kubectl refuses', (m) => objectOf(m, 'settings').addJsonPatch(JsonPatch.replace('/data/mode', 'fa\u0000st'))],
  ['a credential in plain text', (m) => objectOf(m, 'settings').addJsonPatch(JsonPatch.replace('/data/mode', 'postgres://admin:hunter22@db:5432/app'))],
  ['a wildcard role', (m) => objectOf(m, 'reader').addJsonPatch(JsonPatch.replace('/rules/0/verbs', ['*']))],
  ['a Secret with data', (m) => new ApiObject(m.cluster, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, stringData: { password: 'x' } })],
  ['a custom kind against its upstream schema', (m) => objectOf(m, 'project').addJsonPatch(JsonPatch.replace('/spec/description', 5))],
];

describe('verdicts kept between synths (.p2c/verdicts)', () => {
  it('every finding an uncached synth reports, a synth over cached verdicts reports too', async () => {
    const seeded = tempDir();
    expect(await findings(base(), seeded)).toEqual([]);
    expect(fs.readFileSync(path.join(seeded, verdictsFile), 'utf8').split('\n').length).toBeGreaterThan(10);
    for (const [what, mutate] of mutations) {
      const uncached = compile(base(mutate)).diagnostics.map((d) => `${d.code} ${d.message}`);
      expect(uncached.length, what).toBeGreaterThan(0);
      const out = tempDir();
      fs.cpSync(seeded, out, { recursive: true });
      const before = readTree(out);
      expect(await findings(base(mutate), out), what).toEqual(uncached);
      expect(readTree(out), `${what}: nothing written`).toEqual(before);
    }
  });

  it('a finding that depends on another object is found when only that other object changes', async () => {
    // The public-access exception holds only while the bound role grants nothing but `bind` on named APIExports.
    const roleRules = (bindOnly: boolean) => [{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], verbs: bindOnly ? ['bind'] : ['bind', 'get'], resourceNames: ['x'] }];
    const withBinding = (bindOnly: boolean) => base((m) => {
      new ApiObject(m.cluster, 'binder', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'binder' }, rules: roleRules(bindOnly) });
      new ApiObject(m.cluster, 'everyone', {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding',
        metadata: { name: 'everyone', annotations: { 'p2c.dev/security-exception': 'public-access: the export is public' } },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'binder' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:authenticated' }],
      });
    });
    const out = tempDir();
    expect(await findings(withBinding(true), out)).toEqual([]);
    const uncached = compile(withBinding(false)).diagnostics.map((d) => d.code);
    expect(uncached).toContain('P2C027');
    expect((await findings(withBinding(false), out)).map((f) => f.split(' ')[0])).toEqual(uncached);
  });

  it('verdicts against other schemas match nothing: a stricter schema finds what the bundled one let pass', async () => {
    const out = tempDir();
    expect(await findings(base(), out)).toEqual([]);
    const bundled = SchemaCatalog.fromDirectory();
    const index = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas/index.json'), 'utf8')) as { schemas: Array<{ apiVersion: string; kind: string; scope: string; file: string }> };
    expect(index.schemas.length).toBeGreaterThan(0);
    // The same catalog, with APIBinding's spec made to forbid everything: the webshop binding must fail now.
    const entries = index.schemas.map((e) => {
      const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', e.file), 'utf8')) as Record<string, unknown>;
      if (e.kind === 'APIBinding') (schema['properties'] as Record<string, unknown>)['spec'] = { not: {} };
      return { apiVersion: e.apiVersion, kind: e.kind, scope: e.scope, schema };
    });
    const strict = new SchemaCatalog(entries);
    expect(strict.fingerprint).not.toBe(bundled.fingerprint);
    const withBinding = () => base((m) => m.webshop.bind('postgres', { api: m.postgres, acceptClaims: ['events', 'namespaces', 'secrets'] }));
    expect(await findings(withBinding(), out)).toEqual([]);
    const meshForStrict = withBinding();
    let reported: string[] = [];
    try {
      await synth(meshForStrict, { outdir: out, catalog: strict });
    } catch (e) {
      reported = (e as MeshError).diagnostics.map((d) => d.code);
    }
    expect(reported).toContain('P2C011');
  });

  it('verdicts not signed with this user\'s key, or in a file others may write, match nothing', async () => {
    const broken = base(mutations[0]![1]);
    const compilation = compile(broken);
    const uncached = compilation.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(uncached.length).toBeGreaterThan(0);
    // Verdicts claiming every object of the broken mesh passed, as whoever holds the cache home's key would sign them.
    const sign = (cacheHome: string | undefined, out: string) => withCacheHome(cacheHome, () => {
      const verdicts = VerdictCache.open(out, SchemaCatalog.fromDirectory())!;
      const security = securityRulesOf(bindOnlyRoles(compilation.manifests));
      for (const m of compilation.manifests) verdicts.pass(verdicts.entryOf(m.object, security.context(m)), m.object);
      verdicts.save(out);
    });
    const out = tempDir();
    // Control: signed with this user's own key and private, they are used (so the cases below test something).
    sign(undefined, out);
    expect(await findings(base(mutations[0]![1]), out)).toEqual([]);
    // Someone else's key (a verdicts file from a commit or another machine).
    const forged = tempDir();
    sign(tempDir(), forged);
    expect(await findings(base(mutations[0]![1]), forged)).toEqual(uncached);
    // This user's key, but a file group or others may write.
    fs.chmodSync(path.join(out, verdictsFile), 0o666);
    expect(await findings(base(mutations[0]![1]), out)).toEqual(uncached);
  });

  it('a file is taken from the last synth only while it is what that synth wrote from the same objects', async () => {
    const out = tempDir();
    const mesh = () => base((m) => m.webshop.bind('postgres', { api: m.postgres, acceptClaims: ['events', 'namespaces', 'secrets'] }));
    expect(await findings(mesh(), out)).toEqual([]);
    const manifests = [...readTree(out).keys()].filter((f) => f.endsWith('/manifest.yaml'));
    const reference = readTree(out);
    const again = VerdictCache.open(out, SchemaCatalog.fromDirectory())!;
    await synth(mesh(), { outdir: out, verdicts: again });
    expect(again.reused).toBe(manifests.length);
    // Edited by hand (and written over with --force): rendered again, never taken as it is.
    const edited = manifests.find((f) => f.startsWith('clusters/database/'))!;
    fs.appendFileSync(path.join(out, edited), '# edited\n');
    const third = VerdictCache.open(out, SchemaCatalog.fromDirectory())!;
    await synth(mesh(), { outdir: out, verdicts: third, force: true });
    expect(third.reused).toBe(manifests.length - 1);
    expect(readTree(out).get(edited)).toBe(reference.get(edited));
    // One object changed: its folder's file is rendered again, with the change; the others are taken.
    const changed = () => base((m) => {
      m.webshop.bind('postgres', { api: m.postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
      (m.cluster.node.findChild('settings') as ApiObject).addJsonPatch(JsonPatch.replace('/data/mode', 'slow'));
    });
    const fourth = VerdictCache.open(out, SchemaCatalog.fromDirectory())!;
    await synth(changed(), { outdir: out, verdicts: fourth });
    expect(fourth.reused).toBe(manifests.length - 1);
    expect(readTree(out).get(edited)).toContain('mode: slow');
  });

  it('reading and keeping verdicts never goes through a symbolic link in the output', async () => {
    const out = tempDir();
    expect(await findings(base(), out)).toEqual([]);
    const manifests = [...readTree(out).keys()].filter((f) => f.endsWith('/manifest.yaml'));
    // A file replaced by a link to the very same content (say, committed so): not read through, and the write refuses it.
    const linked = manifests[0]!;
    const copy = path.join(tempDir(), 'same.yaml');
    fs.copyFileSync(path.join(out, linked), copy);
    fs.rmSync(path.join(out, linked));
    fs.symlinkSync(copy, path.join(out, linked));
    const verdicts = VerdictCache.open(out, SchemaCatalog.fromDirectory())!;
    await expect(synth(base(), { outdir: out, verdicts })).rejects.toThrow(/symbolic link/);
    expect(verdicts.reused).toBe(manifests.length - 1);
    // Links where p2c keeps its verdicts: nothing is written through them.
    const elsewhere = tempDir();
    const fresh = tempDir();
    expect(await findings(base(), fresh)).toEqual([]);
    for (const f of ['.p2c/.gitignore', `.p2c/verdicts.${process.pid}.tmp`]) fs.rmSync(path.join(fresh, f), { force: true });
    fs.symlinkSync(path.join(elsewhere, 'ignored'), path.join(fresh, '.p2c/.gitignore'));
    fs.rmSync(path.join(fresh, verdictsFile));
    fs.symlinkSync(path.join(elsewhere, 'verdicts'), path.join(fresh, verdictsFile));
    expect(await findings(base((m) => m.webshop.bind('postgres', { api: m.postgres, acceptClaims: ['events', 'namespaces', 'secrets'] })), fresh)).toEqual([]);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('the verdicts are never part of a commit of the output', async () => {
    const out = tempDir();
    expect(await findings(base(), out)).toEqual([]);
    expect(spawnSync('git', ['init', '-q', out]).status).toBe(0);
    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: out, encoding: 'utf8' }).stdout;
    expect(status).toContain('.p2c/owned.json');
    expect(status).not.toContain('verdicts');
    expect(status).not.toContain('.p2c/.gitignore');
  });
});

describe('cached and uncached synth, on one thread or two, write the same bytes', () => {
  const synthTree = async (mesh: Mesh, cache: boolean, outdir = tempDir(), workers = 1) => {
    await synth(mesh, { outdir, cache, workers });
    const tree = readTree(outdir);
    for (const f of [...tree.keys()]) if (f.startsWith('.p2c/')) tree.delete(f);
    return tree;
  };
  const meshes: Array<[string, () => Mesh | Promise<Mesh>]> = [
    ['the bench mesh', () => (Mesh.reset(), syntheticMesh(8))],
    ...exampleNames.map((name): [string, () => Promise<Mesh>] => [`examples/${name}`, async () => (Mesh.reset(), loadMesh(example(name)))]),
  ];
  for (const [what, make] of meshes) {
    it(what, async () => {
      const mesh = await make();
      const uncached = await synthTree(mesh, false);
      const out = tempDir();
      const seeded = await synthTree(mesh, true, out);
      const cached = await synthTree(await make(), true, out);
      expect(fs.existsSync(path.join(out, verdictsFile))).toBe(true);
      const answered = parallel.workersAnswered;
      const twoThreads = await synthTree(mesh, false, tempDir(), 2);
      expect(parallel.workersAnswered).toBe(answered + 1);
      for (const tree of [seeded, cached, twoThreads]) {
        expect([...tree.keys()].sort()).toEqual([...uncached.keys()].sort());
        for (const [file, text] of uncached) expect(tree.get(file), file).toBe(text);
      }
    });
  }

  it('two threads report every finding one reports, with its file:line', async () => {
    const broken = () => base((m) => {
      for (const [, mutate] of mutations) mutate(m);
    });
    const one = await findings(broken(), tempDir(), false);
    expect(one.length).toBeGreaterThanOrEqual(5);
    const answered = parallel.workersAnswered;
    let two: readonly Diagnostic[] = [];
    try {
      await synth(broken(), { outdir: tempDir(), cache: false, workers: 2 });
    } catch (e) {
      two = (e as MeshError).diagnostics;
    }
    expect(parallel.workersAnswered).toBe(answered + 1);
    expect(two.map((d) => `${d.code} ${d.message}`)).toEqual(one);
    expect(two.filter((d) => d.code === 'P2C011').every((d) => d.location?.includes('verdicts.test.ts:'))).toBe(true);
  });
});
