import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WriteResult } from '../output/write.js';
import { ownershipRecord } from '../output/write.js';
import { folderTitle } from './diff.js';

export class CommitError extends Error {}

function git(args: string[], cwd: string, input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}), maxBuffer: 1 << 30 });
}

const isObjectFile = (f: string) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml') && !f.startsWith('.p2c/');

/** "Synthesize mesh 'p2c': 3 added, 1 changed" with one line per folder below. */
export function commitMessage(meshName: string, result: WriteResult): string {
  const per = new Map<string, { added: number; changed: number; removed: number }>();
  const bump = (file: string, key: 'added' | 'changed' | 'removed') => {
    if (!isObjectFile(file)) return;
    const folder = file.slice(0, file.lastIndexOf('/'));
    const c = per.get(folder) ?? per.set(folder, { added: 0, changed: 0, removed: 0 }).get(folder)!;
    c[key]++;
  };
  const added = new Set(result.added);
  for (const f of result.written) bump(f, added.has(f) ? 'added' : 'changed');
  for (const f of result.removed) bump(f, 'removed');
  const total = { added: 0, changed: 0, removed: 0 };
  const lines: string[] = [];
  for (const [folder, c] of [...per].sort(([a], [b]) => a.localeCompare(b))) {
    total.added += c.added; total.changed += c.changed; total.removed += c.removed;
    const parts = [c.added && `${c.added} added`, c.changed && `${c.changed} changed`, c.removed && `${c.removed} removed`].filter(Boolean);
    lines.push(`- ${folderTitle(folder)} (${folder}): ${parts.join(', ')}`);
  }
  const head = `p2c: synthesize mesh '${meshName}' (${total.added} added, ${total.changed} changed, ${total.removed} removed objects)`;
  return `${head}\n\n${lines.join('\n') || '- no object changed (layout or bookkeeping only)'}\n`;
}

/**
 * Commits what p2c wrote and removed under `outDir`, and nothing else: files the user has
 * staged or changed elsewhere stay out of the commit. Returns the commit id, or undefined
 * when nothing changed.
 */
export function commitOutput(outDir: string, meshName: string, result: WriteResult, ownedFiles: readonly string[]): string | undefined {
  const root = path.resolve(outDir);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], root).trim();
  } catch {
    throw new CommitError(`--commit: ${root} is not inside a Git work tree`);
  }
  const rel = (f: string) => path.relative(top, path.join(root, f)).split(path.sep).join('/');
  const candidates = [...ownedFiles, ownershipRecord, ...result.removed].map(rel);
  const tracked = new Set(git(['ls-files', '-z', '--', ...(path.relative(top, root) ? [path.relative(top, root)] : ['.'])], top).split('\0').filter(Boolean));
  // Only paths that exist now or that Git knows: a never-committed file that is gone has nothing to commit.
  const paths = candidates.filter((p) => tracked.has(p) || fs.existsSync(path.join(top, p)));
  const status = git(['status', '--porcelain', '-z', '--untracked-files=all', '--', path.relative(top, root) || '.'], top);
  const changed = new Set(status.split('\0').filter(Boolean).map((l) => l.slice(3)));
  if (!paths.some((p) => changed.has(p))) return undefined;
  const list = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'p2c-commit-')), 'paths');
  fs.writeFileSync(list, paths.filter((p) => changed.has(p) || tracked.has(p)).join('\0'));
  git(['add', '-A', '--pathspec-from-file', list, '--pathspec-file-nul'], top);
  git(['commit', '--quiet', '-F', '-', '--pathspec-from-file', list, '--pathspec-file-nul'], top, commitMessage(meshName, result));
  fs.rmSync(path.dirname(list), { recursive: true, force: true });
  return git(['rev-parse', 'HEAD'], top).trim();
}
