import * as fs from 'node:fs';
import * as path from 'node:path';

/** The record of files p2c wrote, kept inside the output folder. */
export const ownershipRecord = '.p2c/owned.json';

export class OutputError extends Error {}

export interface WriteResult {
  readonly written: readonly string[];
  /** The part of `written` that did not exist before. */
  readonly added: readonly string[];
  /** Previous content of every rewritten or removed file, for summaries. */
  readonly before?: ReadonlyMap<string, string>;
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

/** Present only while p2c swaps files in; a later run rolls it back. */
export const journalFile = '.p2c/journal.json';

interface Journal {
  stage: string;
  replaced: string[];
  created: string[];
  removed: string[];
}

function stagePrefix(root: string): string {
  return path.join(path.dirname(root), `.${path.basename(root)}.p2c-stage-`);
}

/**
 * Undoes a swap that was cut short (a killed synth): restores every replaced or removed file
 * from its backup, deletes files it had created. Returns true when there was one to undo.
 */
export function recoverOutput(outDir: string): boolean {
  const root = path.resolve(outDir);
  const prefix = stagePrefix(root);
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(fs.readFileSync(path.join(root, journalFile), 'utf8')) as Journal;
  } catch {
    journal = undefined;
  }
  if (journal) {
    const backup = (rel: string) => path.join(journal!.stage, 'old', rel);
    for (const rel of [...journal.replaced, ...journal.removed]) {
      const target = insideOutput(root, rel);
      if (fs.existsSync(backup(rel))) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(backup(rel), target);
      }
    }
    for (const rel of journal.created) {
      const target = insideOutput(root, rel);
      fs.rmSync(target, { force: true });
      removeEmptyParents(root, target);
    }
    fs.rmSync(path.join(root, journalFile), { force: true });
  }
  // Stages of runs that died before writing a journal hold nothing the output needs.
  for (const entry of fs.existsSync(path.dirname(root)) ? fs.readdirSync(path.dirname(root)) : []) {
    const full = path.join(path.dirname(root), entry);
    if (full.startsWith(prefix)) fs.rmSync(full, { recursive: true, force: true });
  }
  return journal !== undefined;
}

/**
 * Brings `outDir` to exactly `files` for what p2c owns: writes only changed files (so an
 * unchanged mesh leaves modification times alone), removes files it wrote before and no
 * longer produces, and never touches a file it did not write.
 *
 * Nothing in the output changes until every new file is staged beside it. Then a journal is
 * written, the staged files are renamed into place (old ones kept as hard links in the stage),
 * and the journal is removed. A run killed in between leaves the journal, and the next run
 * first restores the previous output from it.
 */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>, options: { force?: boolean } = {}): WriteResult {
  const root = path.resolve(outDir);
  recoverOutput(root);
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
  // One readdir per folder tells which files exist; reading only those avoids an exception per new file.
  const listing = new Map<string, Set<string>>();
  const exists = (abs: string) => {
    const dir = path.dirname(abs);
    let names = listing.get(dir);
    if (!names) {
      try {
        names = new Set(fs.readdirSync(dir));
      } catch {
        names = new Set();
      }
      listing.set(dir, names);
    }
    return names.has(path.basename(abs));
  };
  const fresh = !fs.existsSync(root);
  const before = new Map<string, string>();
  for (const [rel, content] of files) {
    const abs = targets.get(rel)!;
    const current = !fresh && exists(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
    if (current !== undefined && current !== content) before.set(rel, current);
    if (current === content) unchanged++;
    else {
      toWrite.push(rel);
      if (current === undefined) added.push(rel);
    }
  }
  const toRemove = (record?.files ?? []).filter((f) => !files.has(f) && !f.split('/').includes('..') && fs.existsSync(path.join(root, f))).sort();
  for (const rel of toRemove) before.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
  const newRecord = JSON.stringify({ generator: 'p2c', files: [...files.keys()].sort() } satisfies Record_, null, 1) + '\n';
  const recordChanged = !record || JSON.stringify(record.files) !== JSON.stringify([...files.keys()].sort());
  if (toWrite.length === 0 && toRemove.length === 0 && !recordChanged) return { written: [], added: [], removed: [], unchanged };

  const stage = `${stagePrefix(root)}${process.pid}`;
  fs.rmSync(stage, { recursive: true, force: true });
  const madeDirs = new Set<string>();
  const mkdir = (d: string) => {
    if (!madeDirs.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      madeDirs.add(d);
    }
  };
  if (fresh) {
    // A new output is built whole beside its place and appears with one rename.
    for (const rel of toWrite) {
      const staged = path.join(stage, 'new', rel);
      mkdir(path.dirname(staged));
      fs.writeFileSync(staged, files.get(rel)!);
    }
    mkdir(path.join(stage, 'new', '.p2c'));
    fs.writeFileSync(path.join(stage, 'new', ownershipRecord), newRecord);
    if ((process.env['P2C_FAULT'] ?? '') === 'stage') process.kill(process.pid, 'SIGKILL');
    fs.mkdirSync(path.dirname(root), { recursive: true });
    fs.renameSync(path.join(stage, 'new'), root);
    fs.rmSync(stage, { recursive: true, force: true });
    return { written: toWrite.sort(), added: added.sort(), removed: [], unchanged };
  }
  // 1. Stage: new content, and hard links to what will be replaced or removed.
  const addedSet = new Set(added);
  const replaced = toWrite.filter((f) => !addedSet.has(f));
  for (const rel of toWrite) {
    const staged = path.join(stage, 'new', rel);
    mkdir(path.dirname(staged));
    fs.writeFileSync(staged, files.get(rel)!);
  }
  for (const rel of [...replaced, ...toRemove]) {
    const backup = path.join(stage, 'old', rel);
    mkdir(path.dirname(backup));
    try {
      fs.linkSync(path.join(root, rel), backup);
    } catch {
      fs.copyFileSync(path.join(root, rel), backup);
    }
  }
  mkdir(path.join(stage, 'new', '.p2c'));
  fs.writeFileSync(path.join(stage, 'new', ownershipRecord), newRecord);
  const fault = process.env['P2C_FAULT'] ?? ''; // test hook: die at a chosen point of the write
  if (fault === 'stage') process.kill(process.pid, 'SIGKILL');
  // 2. Journal, atomically: from here on a killed run is rolled back by the next one.
  mkdir(path.join(root, '.p2c'));
  const journal: Journal = { stage, replaced, created: added, removed: toRemove };
  fs.writeFileSync(path.join(root, `${journalFile}.tmp`), JSON.stringify(journal));
  fs.renameSync(path.join(root, `${journalFile}.tmp`), path.join(root, journalFile));
  // 3. Swap in.
  const faultAfter = fault.startsWith('swap:') ? Number(fault.slice(5)) : NaN;
  let renames = 0;
  for (const rel of toWrite) {
    const target = targets.get(rel)!;
    mkdir(path.dirname(target));
    fs.renameSync(path.join(stage, 'new', rel), target);
    if (++renames === faultAfter) process.kill(process.pid, 'SIGKILL');
  }
  for (const rel of toRemove) {
    const target = insideOutput(root, rel);
    fs.rmSync(target, { force: true });
    removeEmptyParents(root, target);
  }
  fs.renameSync(path.join(stage, 'new', ownershipRecord), path.join(root, ownershipRecord));
  // 4. Done: drop the journal, then the stage with its backups.
  fs.rmSync(path.join(root, journalFile), { force: true });
  fs.rmSync(stage, { recursive: true, force: true });
  return { written: toWrite.sort(), added: added.sort(), removed: toRemove, unchanged, before };
}
