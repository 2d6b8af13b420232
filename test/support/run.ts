import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, repoRoot } from './paths.js';

export interface CliResult { status: number; stdout: string; stderr: string }

/** Runs the real CLI in a child process, as a user would. */
// Tests about what synth does with a mesh pass --no-type-check: a cold type check of p2c's sources costs seconds per
// fresh repository, and type checking has tests of its own (type-check.test.ts).
export function p2c(args: string[], cwd = repoRoot): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.includes('npm warn')).join('\n') };
}

export function tempDir(prefix = 'p2c-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every file under a folder, relative path → content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
