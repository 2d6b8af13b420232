import { packageVersion } from '../package-info.js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { WriteResult } from '../output/write.js';
import { ownershipRecord } from '../output/write.js';
import { diffTrees } from './diff.js';
import { departuresBetween, formatDepartures, keptLedger } from './departures.js';
import { readRevision } from './tree.js';

export class CommitError extends Error {}

function git(args: string[], cwd: string, input?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}), maxBuffer: 1 << 30 });
}

/**
 * "p2c: synthesize mesh 'p2c' (3 added, 1 changed, 0 removed objects)", one line per folder, and every
 * data-holding object leaving the output. `committed` is the output as the last commit holds it, so the message
 * describes exactly the commit, whatever earlier synths left uncommitted on disk.
 */
export function commitMessage(meshName: string, committed: ReadonlyMap<string, string>, files: ReadonlyMap<string, string>): string {
  const d = diffTrees(new Map(committed), new Map(files));
  const lines = d.folders.map((f) => {
    const count = (c: string) => f.objects.filter((o) => o.change === c).length;
    const parts = [['added', count('added')], ['changed', count('changed')], ['removed', count('removed')]].filter(([, n]) => n).map(([w, n]) => `${n} ${w}`);
    return `- ${f.title} (${f.folder}): ${parts.join(', ')}`;
  });
  const departures = departuresBetween(committed, files);
  // Files too, so a commit that changes only MESH.md or a kustomization.yaml says what it changes.
  const own = (f: string) => !f.startsWith('.p2c/');
  const changedFiles = [...new Set([...committed.keys(), ...files.keys()])].filter(own).filter((f) => committed.get(f) !== files.get(f)).sort();
  const fileCount = `${changedFiles.length} file${changedFiles.length === 1 ? '' : 's'}`;
  const objects = d.added + d.changed + d.removed;
  const head = objects
    ? `p2c: synthesize mesh '${meshName}' (${d.added} added, ${d.changed} changed, ${d.removed} removed objects in ${fileCount})`
    : `p2c: synthesize mesh '${meshName}' (no object changed; ${fileCount})`;
  const layout = changedFiles.filter((f) => !/\/manifest\.yaml$/.test(f));
  const body = [...lines, ...(objects ? [] : ['- no object changed']), ...(layout.length ? [`- other files: ${layout.join(', ')}`] : [])];
  const leaving = departures.length ? `\n\nData-holding objects leaving the output:\n${formatDepartures(departures).map((l) => `- ${l}`).join('\n')}` : '';
  // A trailer, as git writes them: which p2c made the output, so a changed default after an upgrade is traceable.
  return `${head}\n\n${body.join('\n')}${leaving}\n\nGenerated-by: p2c ${packageVersion}\n`;
}

/**
 * Commits what p2c wrote and removed under `outDir`, and nothing else: files the user has
 * staged or changed elsewhere stay out of the commit. Returns the commit id, or undefined
 * when nothing changed.
 */
export function commitOutput(outDir: string, meshName: string, result: WriteResult, files: ReadonlyMap<string, string>): string | undefined {
  const root = path.resolve(outDir);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], root).trim();
  } catch {
    throw new CommitError(`--commit: ${root} is not inside a Git work tree`);
  }
  const rel = (f: string) => path.relative(top, path.join(root, f)).split(path.sep).join('/');
  const candidates = [...new Set([...files.keys(), ownershipRecord, keptLedger, ...result.removed])].map(rel);
  const tracked = new Set(git(['ls-files', '-z', '--', ...(path.relative(top, root) ? [path.relative(top, root)] : ['.'])], top).split('\0').filter(Boolean));
  // Only paths that exist now or that Git knows: a never-committed file that is gone has nothing to commit.
  const paths = candidates.filter((p) => tracked.has(p) || fs.existsSync(path.join(top, p)));
  const status = git(['status', '--porcelain', '-z', '--untracked-files=all', '--', path.relative(top, root) || '.'], top);
  const changed = new Set(status.split('\0').filter(Boolean).map((l) => l.slice(3)));
  if (!paths.some((p) => changed.has(p))) return undefined;
  const folder = path.relative(top, root).split(path.sep).join('/');
  let committed: Map<string, string>;
  try {
    committed = readRevision('HEAD', folder, top);
  } catch {
    committed = new Map(); // no commit yet
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'p2c-commit-'));
  try {
    const list = path.join(tmp, 'paths');
    fs.writeFileSync(list, paths.filter((p) => changed.has(p) || tracked.has(p)).join('\0'));
    git(['add', '-A', '--pathspec-from-file', list, '--pathspec-file-nul'], top);
    git(['commit', '--quiet', '-F', '-', '--pathspec-from-file', list, '--pathspec-file-nul'], top, commitMessage(meshName, committed, files));
    return git(['rev-parse', 'HEAD'], top).trim();
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? (e as Error).message).trim().split('\n')[0];
    throw new CommitError(`--commit: git failed: ${stderr}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
