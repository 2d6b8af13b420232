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

/** Everything known about a write before anything is touched. */
export interface OutputPlan {
  readonly root: string;
  readonly files: ReadonlyMap<string, string>;
  readonly targets: ReadonlyMap<string, string>;
  /** The output folder does not exist yet: it appears whole, with one rename. */
  readonly fresh: boolean;
  readonly toWrite: readonly string[];
  readonly added: readonly string[];
  readonly toRemove: readonly string[];
  readonly before: ReadonlyMap<string, string>;
  readonly unchanged: number;
  readonly newRecord: string;
  readonly recordChanged: boolean;
  readonly stage: string;
}

/**
 * Decides what to write: rolls back an interrupted earlier run, checks that p2c owns the
 * folder, and compares every file with what is there (only changed files are rewritten, so an
 * unchanged mesh leaves modification times alone).
 */
export function planOutput(outDir: string, files: ReadonlyMap<string, string>, options: { force?: boolean } = {}): OutputPlan {
  const root = path.resolve(outDir);
  recoverOutput(root);
  const record = readRecord(root);
  const fresh = !fs.existsSync(root);
  if (!fresh) {
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
  const before = new Map<string, string>();
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
  for (const [rel, content] of files) {
    const abs = targets.get(rel)!;
    const current = !fresh && exists(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
    if (current === content) unchanged++;
    else {
      toWrite.push(rel);
      if (current === undefined) added.push(rel);
      else before.set(rel, current);
    }
  }
  const toRemove = (record?.files ?? []).filter((f) => !files.has(f) && !f.split('/').includes('..') && fs.existsSync(path.join(root, f))).sort();
  for (const rel of toRemove) before.set(rel, fs.readFileSync(path.join(root, rel), 'utf8'));
  const sortedFiles = [...files.keys()].sort();
  return {
    root, files, targets, fresh, toWrite: toWrite.sort(), added: added.sort(), toRemove, before, unchanged,
    newRecord: JSON.stringify({ generator: 'p2c', files: sortedFiles } satisfies Record_, null, 1) + '\n',
    recordChanged: !record || JSON.stringify(record.files) !== JSON.stringify(sortedFiles),
    stage: `${stagePrefix(root)}${process.pid}`,
  };
}

function nothingToDo(plan: OutputPlan): boolean {
  return plan.toWrite.length === 0 && plan.toRemove.length === 0 && !plan.recordChanged;
}

function stageDirectories(plan: OutputPlan): string[] {
  const dirs = new Set<string>([path.join(plan.stage, 'new', '.p2c')]);
  for (const rel of plan.toWrite) dirs.add(path.dirname(path.join(plan.stage, 'new', rel)));
  for (const rel of backups(plan)) dirs.add(path.dirname(path.join(plan.stage, 'old', rel)));
  return [...dirs].sort();
}

/** Files the write replaces (they had content before). */
function replaced(plan: OutputPlan): string[] {
  return plan.toWrite.filter((f) => plan.before.has(f));
}

/** Files kept as hard links while swapping, so a killed run can be rolled back. */
function backups(plan: OutputPlan): string[] {
  return plan.fresh ? [] : [...replaced(plan), ...plan.toRemove];
}

function linkBackup(plan: OutputPlan, rel: string): void {
  try {
    fs.linkSync(path.join(plan.root, rel), path.join(plan.stage, 'old', rel));
  } catch {
    fs.copyFileSync(path.join(plan.root, rel), path.join(plan.stage, 'old', rel));
  }
}

/** Stages new content (and hard links to what will be replaced) beside the output. Touches nothing in it. */
export function stageOutput(plan: OutputPlan): void {
  if (nothingToDo(plan)) return;
  fs.rmSync(plan.stage, { recursive: true, force: true });
  for (const d of stageDirectories(plan)) fs.mkdirSync(d, { recursive: true });
  for (const rel of plan.toWrite) fs.writeFileSync(path.join(plan.stage, 'new', rel), plan.files.get(rel)!);
  for (const rel of backups(plan)) linkBackup(plan, rel);
  fs.writeFileSync(path.join(plan.stage, 'new', ownershipRecord), plan.newRecord);
}

/**
 * Swaps the staged files in. A fresh output appears with one rename. Otherwise a journal is
 * written, the staged files are renamed into place (old ones kept as hard links in the stage),
 * and the journal is removed: a run killed in between leaves the journal, and the next run
 * first restores the previous output from it.
 */
export function commitStage(plan: OutputPlan): WriteResult {
  const { root, stage } = plan;
  const result = { written: [...plan.toWrite], added: [...plan.added], removed: [...plan.toRemove], unchanged: plan.unchanged, before: plan.before };
  if (nothingToDo(plan)) return { ...result, written: [], added: [], removed: [] };
  const fault = process.env['P2C_FAULT'] ?? ''; // test hook: die at a chosen point of the write
  if (fault === 'stage') process.kill(process.pid, 'SIGKILL');
  if (plan.fresh) {
    fs.mkdirSync(path.dirname(root), { recursive: true });
    fs.renameSync(path.join(stage, 'new'), root);
    fs.rmSync(stage, { recursive: true, force: true });
    return result;
  }
  fs.mkdirSync(path.join(root, '.p2c'), { recursive: true });
  const journal: Journal = { stage, replaced: replaced(plan), created: [...plan.added], removed: [...plan.toRemove] };
  fs.writeFileSync(path.join(root, `${journalFile}.tmp`), JSON.stringify(journal));
  fs.renameSync(path.join(root, `${journalFile}.tmp`), path.join(root, journalFile));
  const faultAfter = fault.startsWith('swap:') ? Number(fault.slice(5)) : NaN;
  let renames = 0;
  const made = new Set<string>();
  for (const rel of plan.toWrite) {
    const target = plan.targets.get(rel)!;
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    fs.renameSync(path.join(stage, 'new', rel), target);
    if (++renames === faultAfter) process.kill(process.pid, 'SIGKILL');
  }
  for (const rel of plan.toRemove) {
    const target = insideOutput(root, rel);
    fs.rmSync(target, { force: true });
    removeEmptyParents(root, target);
  }
  fs.renameSync(path.join(stage, 'new', ownershipRecord), path.join(root, ownershipRecord));
  fs.rmSync(path.join(root, journalFile), { force: true });
  fs.rmSync(stage, { recursive: true, force: true });
  return result;
}

/**
 * Brings `outDir` to exactly `files` for what p2c owns: writes only changed files, removes
 * files it wrote before and no longer produces, never touches a file it did not write; see
 * planOutput, stageOutput and commitStage.
 */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>, options: { force?: boolean } = {}): WriteResult {
  const plan = planOutput(outDir, files, options);
  stageOutput(plan);
  return commitStage(plan);
}
