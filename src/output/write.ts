import * as fs from 'node:fs';
import * as path from 'node:path';

/** The record of files p2c wrote, kept inside the output folder. */
export const ownershipRecord = '.p2c/owned.json';

export class OutputError extends Error {}

export interface WriteResult {
  readonly written: readonly string[];
  /** The part of `written` that did not exist before. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
}

interface Record_ { generator: 'p2c'; files: string[] }

function readRecord(dir: string): Record_ | undefined {
  try {
    const r = JSON.parse(fs.readFileSync(path.join(dir, ownershipRecord), 'utf8')) as Record_;
    return r.generator === 'p2c' && Array.isArray(r.files) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves a relative output path, refusing anything that would land outside `root`. */
export function insideOutput(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..') || !abs.startsWith(root + path.sep)) {
    throw new OutputError(`refusing to write '${rel}': it is outside the output folder ${root}`);
  }
  return abs;
}

function removeEmptyParents(root: string, file: string): void {
  for (let dir = path.dirname(file); dir.startsWith(root + path.sep); dir = path.dirname(dir)) {
    try {
      fs.rmdirSync(dir);
    } catch {
      return;
    }
  }
}

/**
 * Brings `outDir` to exactly `files` for what p2c owns: writes only changed files (so an
 * unchanged mesh leaves modification times alone), removes files it wrote before and no
 * longer produces, and never touches a file it did not write. New content is staged beside
 * the output first, so a failure while rendering cannot leave a half-written file.
 */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>, options: { force?: boolean } = {}): WriteResult {
  const root = path.resolve(outDir);
  const record = readRecord(root);
  if (fs.existsSync(root)) {
    if (!fs.statSync(root).isDirectory()) throw new OutputError(`output ${root} exists and is not a folder`);
    const entries = fs.readdirSync(root).filter((e) => e !== '.p2c' && e !== '.git');
    if (!record && entries.length > 0 && !options.force) {
      throw new OutputError(`output folder ${root} is not empty and p2c has no record of writing it (${ownershipRecord}); pass --force to write into it anyway`);
    }
  }
  const targets = new Map<string, string>();
  for (const rel of files.keys()) targets.set(rel, insideOutput(root, rel));

  const toWrite: string[] = [];
  const added: string[] = [];
  let unchanged = 0;
  for (const [rel, content] of files) {
    let current: string | undefined;
    try {
      current = fs.readFileSync(targets.get(rel)!, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) unchanged++;
    else {
      toWrite.push(rel);
      if (current === undefined) added.push(rel);
    }
  }
  const toRemove = (record?.files ?? []).filter((f) => !files.has(f) && !f.split('/').includes('..')).sort();
  const newRecord = JSON.stringify({ generator: 'p2c', files: [...files.keys()].sort() } satisfies Record_, null, 1) + '\n';
  const recordChanged = !record || JSON.stringify(record.files) !== JSON.stringify([...files.keys()].sort());
  if (toWrite.length === 0 && toRemove.length === 0 && !recordChanged) return { written: [], added: [], removed: [], unchanged };

  const stage = path.join(path.dirname(root), `.${path.basename(root)}.p2c-stage-${process.pid}`);
  fs.rmSync(stage, { recursive: true, force: true });
  try {
    const madeDirs = new Set<string>();
    const mkdir = (d: string) => {
      if (!madeDirs.has(d)) {
        fs.mkdirSync(d, { recursive: true });
        madeDirs.add(d);
      }
    };
    for (const rel of toWrite) {
      const staged = path.join(stage, rel);
      mkdir(path.dirname(staged));
      fs.writeFileSync(staged, files.get(rel)!);
    }
    mkdir(path.join(stage, '.p2c'));
    fs.writeFileSync(path.join(stage, ownershipRecord), newRecord);
    for (const rel of toWrite) {
      const target = targets.get(rel)!;
      mkdir(path.dirname(target));
      fs.renameSync(path.join(stage, rel), target);
    }
    for (const rel of toRemove) {
      const target = insideOutput(root, rel);
      fs.rmSync(target, { force: true });
      removeEmptyParents(root, target);
    }
    mkdir(path.join(root, '.p2c'));
    fs.renameSync(path.join(stage, ownershipRecord), path.join(root, ownershipRecord));
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
  return { written: toWrite.sort(), added: added.sort(), removed: toRemove, unchanged };
}
