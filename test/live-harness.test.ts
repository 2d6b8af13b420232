/** The live suite's own parts that need no Go: how it reads p2c's output and how it says Go is missing. */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { argoApps, healthScripts } from './live/harness/apply.ts';
import { goVersion } from './live/harness/tools.ts';
import { example } from './support/paths.ts';
import { p2c, tempDir } from './support/run.ts';

describe('live harness', () => {
  let out: string;
  beforeAll(() => {
    out = join(tempDir(), 'dist');
    const result = p2c(['synth', example('idp'), '--out', out, '--no-type-check']);
    expect(result.status, result.stderr).toBe(0);
  });

  it('applies folders in the order MESH.md documents (its apply-order table, wave by wave)', () => {
    const mesh = readFileSync(join(out, 'MESH.md'), 'utf8');
    const rows = [...mesh.matchAll(/^\| (\d+) \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    const apps = argoApps(out).map((a) => `${a.wave} ${relative(out, a.folder)}`);
    expect(rows.length).toBeGreaterThan(5);
    expect(apps.sort()).toEqual(rows.sort());
    const waves = argoApps(out).map((a) => a.wave);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
  });

  it('reads the health checks p2c wrote for Argo CD by group and kind', () => {
    const scripts = healthScripts(out);
    expect([...scripts.keys()]).toEqual(expect.arrayContaining(['tenancy.kcp.io_Workspace', 'apis.kcp.io_APIBinding']));
  });

  it('without Go, fails with one line that says what is missing', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => goVersion()).toThrow(/the live suite needs Go .*`go` was not found$/);
    } finally {
      process.env.PATH = path;
    }
  });
});
