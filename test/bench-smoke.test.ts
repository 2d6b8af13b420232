import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './support/paths.js';
import { tempDir } from './support/run.js';
import { cli } from './support/paths.js';

// The benchmark prints figures; tests only check that it runs and reports what it promises.
describe('npm run bench', () => {
  it('prints one JSON line with exactly the documented keys, all numbers', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/run-ts.js'), 'bench/run.ts', '--teams', '6', '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const last = r.stdout.trim().split('\n').pop()!;
    const result = JSON.parse(last) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['cdk8sMs', 'files', 'jsonFloorMs', 'objects', 'oneTeamMs', 'peakRssMb', 'resynthMs', 'synthMs', 'teams', 'yamlFloorMs']);
    for (const v of Object.values(result)) expect(typeof v).toBe('number');
    expect(result['teams']).toBe(6);
    expect(result['objects']).toBeGreaterThan(6 * 20);
  });
});

describe('progress on a terminal', () => {
  it('shows phases on a TTY, and nothing when stderr is not one', () => {
    const out = path.join(tempDir(), 'out');
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${cli} synth examples/idp/mesh.ts --out ${out}`, '/dev/null'], { cwd: repoRoot, encoding: 'utf8' });
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/p2c: validating \d+ objects against their schemas/);
    expect(tty.stdout).toContain('\r\x1b[2K');
    fs.rmSync(out, { recursive: true, force: true });
    const piped = spawnSync(process.execPath, [cli, 'synth', 'examples/idp/mesh.ts', '--out', out], { cwd: repoRoot, encoding: 'utf8' });
    expect(piped.stderr.split('\n').filter((l) => !l.includes('npm warn')).join('')).toBe('');
  });
});
