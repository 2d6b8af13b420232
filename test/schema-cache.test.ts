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
});
