import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** An output tree as relative path → content, from a folder or from a Git revision. */
export type Tree = Map<string, string>;

export function readFolder(dir: string): Tree {
  const out: Tree = new Map();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Files under `folder` at Git revision `rev`, read in one `git cat-file --batch` call. */
export function readRevision(rev: string, folder: string, cwd = process.cwd()): Tree {
  const prefix = folder.replace(/^\.\/|\/+$/g, '').replace(/^\.$/, '');
  const listed = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', '--full-tree', rev, ...(prefix ? ['--', prefix] : [])], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  const files = listed.split('\0').filter(Boolean);
  const out: Tree = new Map();
  if (files.length === 0) return out;
  const batch = execFileSync('git', ['cat-file', '--batch'], { cwd, input: files.map((f) => `${rev}:${f}`).join('\n') + '\n', maxBuffer: 1 << 30 });
  let at = 0;
  for (const f of files) {
    const nl = batch.indexOf(10, at);
    const header = batch.subarray(at, nl).toString('utf8');
    const size = Number(header.split(' ')[2]);
    out.set(prefix ? f.slice(prefix.length + 1) : f, batch.subarray(nl + 1, nl + 1 + size).toString('utf8'));
    at = nl + 1 + size + 1;
  }
  return out;
}

/** `rev`, `rev:folder`, or a folder on disk. */
export function readSide(spec: string, defaultFolder: string, cwd = process.cwd()): { tree: Tree; label: string } {
  const asDir = path.resolve(cwd, spec);
  if (fs.existsSync(asDir) && fs.statSync(asDir).isDirectory()) return { tree: readFolder(asDir), label: spec };
  const i = spec.indexOf(':');
  const rev = i > 0 ? spec.slice(0, i) : spec;
  const folder = i > 0 ? spec.slice(i + 1) : defaultFolder;
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd, stdio: 'pipe' });
  } catch {
    throw new Error(`'${spec}' is neither a folder nor a Git revision`);
  }
  return { tree: readRevision(rev, folder, cwd), label: `${rev}:${folder}` };
}
