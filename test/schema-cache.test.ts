import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir } from './support/run.js';
import { repoRoot } from './support/paths.js';

describe('compiled schema cache', () => {
  it('validates the same with a cold cache, a warm cache, and a corrupted cache', () => {
    const cache = tempDir('p2c-cache-');
    const script = `
      import { SchemaCatalog } from './src/validate/schema-catalog.ts';
      const c = SchemaCatalog.fromDirectory();
      const bad = { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'x.example.com' }, spec: { permissionClaims: [{ group: '', resource: 'Secrets' }] } };
      const good = { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'x.example.com' }, spec: {} };
      console.log(JSON.stringify([c.validate(bad), c.validate(good)]));`;
    const file = path.join(cache, 'probe.mts');
    fs.writeFileSync(file, script.replace("'./src/validate/schema-catalog.ts'", JSON.stringify(path.join(repoRoot, 'src/validate/schema-catalog.ts'))));
    const once = () => {
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/run-ts.js'), file], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, P2C_CACHE_DIR: cache } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as [string[], string[]];
    };
    const cold = once();
    expect(cold[0].join('\n')).toContain("must have required property 'verbs'");
    expect(cold[1]).toEqual([]);
    const cached = fs.readdirSync(cache).filter((f) => f.endsWith('.cjs'));
    expect(cached.length).toBe(1);
    expect(once()).toEqual(cold);
    fs.writeFileSync(path.join(cache, cached[0]!), 'this is not javascript');
    expect(once()).toEqual(cold);
  });

  it('never runs code from a cache folder or file another user could have planted', () => {
    const probe = (cache: string) => {
      const file = path.join(tempDir(), 'probe.mts');
      fs.writeFileSync(file, `import { SchemaCatalog } from ${JSON.stringify(path.join(repoRoot, 'src/validate/schema-catalog.ts'))};
        const c = SchemaCatalog.fromDirectory();
        console.log(JSON.stringify(c.validate({ apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'x.example.com' }, spec: { permissionClaims: [{ group: '', resource: 'Secrets' }] } })));`);
      return spawnSync(process.execPath, [path.join(repoRoot, 'bin/run-ts.js'), file], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, P2C_CACHE_DIR: cache } });
    };
    // Warm a private cache to learn the file name p2c would load, then plant code under that name.
    const own = tempDir('p2c-cache-');
    expect(probe(own).status).toBe(0);
    const name = fs.readdirSync(own).find((f) => f.endsWith('.cjs'))!;
    const marker = path.join(tempDir(), 'pwned');
    const payload = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = () => true;`;
    const isRoot = process.getuid?.() === 0;
    const plants: Array<[string, (dir: string) => void]> = [
      ['a world-writable cache folder', (dir) => fs.chmodSync(dir, 0o777)],
      ['a group-writable cache folder', (dir) => fs.chmodSync(dir, 0o770)],
      ['a world-writable cache file', (dir) => fs.chmodSync(path.join(dir, name), 0o666)],
      ['a cache file that is a symbolic link', (dir) => { const real = path.join(tempDir(), 'real.cjs'); fs.renameSync(path.join(dir, name), real); fs.symlinkSync(real, path.join(dir, name)); }],
      ...(isRoot ? [
        ['a cache folder owned by another user', (dir: string) => fs.chownSync(dir, 4242, 4242)] as [string, (dir: string) => void],
        ['a cache file owned by another user', (dir: string) => fs.chownSync(path.join(dir, name), 4242, 4242)] as [string, (dir: string) => void],
      ] : []),
    ];
    for (const [what, plant] of plants) {
      const dir = tempDir('p2c-cache-');
      fs.writeFileSync(path.join(dir, name), payload, { mode: 0o600 });
      plant(dir);
      const r = probe(dir);
      expect(r.status, `${what}: ${r.stderr}`).toBe(0);
      expect(fs.existsSync(marker), what).toBe(false);
      expect(r.stderr, what).toContain('not using the schema cache');
      // Validation still happens, compiled in memory.
      expect(r.stdout, what).toContain("must have required property 'verbs'");
    }
    // The same planted file in a private folder, owned by the user, does run: the test can fail.
    const dir = tempDir('p2c-cache-');
    fs.writeFileSync(path.join(dir, name), payload, { mode: 0o600 });
    probe(dir);
    expect(fs.existsSync(marker)).toBe(true);
  });

  it('the default cache is private to the user, under the cache home, not a shared temporary folder', () => {
    const home = tempDir('p2c-home-');
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/p2c.js'), 'validate', 'examples/kube-to-kube/mesh.ts'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, P2C_CACHE_DIR: '', XDG_CACHE_HOME: path.join(home, 'cache') } });
    expect(r.status, r.stderr).toBe(0);
    const st = fs.statSync(path.join(home, 'cache/p2c'));
    expect(st.mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.join(home, 'cache/p2c')).some((f) => f.endsWith('.cjs'))).toBe(true);
  });
});
