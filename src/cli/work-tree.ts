import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What Git says about the work tree an output folder is in; nothing outside one. */
export interface WorkTree {
  /** The work tree's top folder. */
  readonly root: string;
  /** The output folder as a path inside the repository (`dist`, `deploy/mesh`). */
  readonly outputPath: string;
  /** `git remote get-url origin`, when there is such a remote. */
  readonly origin?: string;
}

function git(cwd: string, ...args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function workTreeOf(outdir: string): WorkTree | undefined {
  const abs = path.resolve(outdir);
  let dir = abs;
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  const top = git(dir, 'rev-parse', '--show-toplevel');
  if (!top) return undefined;
  const rel = path.relative(fs.realpathSync(top), fs.realpathSync(dir)).split(path.sep);
  const outputPath = [...rel, ...path.relative(dir, abs).split(path.sep)].filter((s) => s && s !== '.').join('/');
  if (outputPath.startsWith('..')) return undefined;
  const origin = git(dir, 'remote', 'get-url', 'origin');
  return { root: top, outputPath, ...(origin ? { origin } : {}) };
}
