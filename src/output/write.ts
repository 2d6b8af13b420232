import { packageVersion } from '../package-info.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

/** The record of files p2c wrote, with a hash of each one's content, kept inside the output folder. */
export const ownershipRecord = '.p2c/owned.json';
/** Present only while p2c swaps files in; a later run rolls it back. */
export const journalFile = '.p2c/journal.json';
/** Held by the one synth writing the folder; another waits for it. */
export const lockFile = '.p2c/lock';
/** Stages live inside the output folder, so every move is a rename on one file system (a volume works). */
const stagePrefix = '.p2c/stage-';

export class OutputError extends Error {}

export interface KeptFile {
  readonly path: string;
  readonly reason: string;
}

export interface WriteResult {
  readonly written: readonly string[];
  /** The part of `written` that did not exist before. */
  readonly added: readonly string[];
  /** Previous content of every rewritten or removed file, for summaries. */
  readonly before?: ReadonlyMap<string, string>;
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** Files p2c no longer produces and did not delete, because their content is not what p2c wrote. */
  readonly kept: readonly KeptFile[];
}

export interface WriteOptions {
  /** Write into a non-empty folder p2c has no record of, and over files it did not write. @default false */
  readonly force?: boolean;
  /** Told once when another synth holds the folder and this one waits. @default silent */
  readonly onWait?: (holder: string) => void;
  /** Seconds to wait for another synth before giving up. @default P2C_LOCK_TIMEOUT, else 120 */
  readonly lockTimeoutSeconds?: number;
  /**
   * Sees, under the lock and before anything is written, the previous content of every file the write replaces
   * or removes (and reads any file of the output); throwing stops the write, returned files join it. @default none
   */
  readonly vet?: (previous: ReadonlyMap<string, string>, read: (rel: string) => string | undefined) => ReadonlyMap<string, string> | void;
  /** Runs after the write, still holding the lock (a commit of what was written, so two runs cannot interleave). */
  readonly afterWrite?: (result: WriteResult) => void;
}

/** Relative path → sha256 of the content p2c wrote there ('' when an older p2c recorded no hash). */
type Owned = Map<string, string>;

export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function readRecord(root: string): Owned | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.join(root, ownershipRecord), 'utf8'));
  } catch {
    return undefined;
  }
  const r = raw as { generator?: unknown; files?: unknown };
  if (r.generator !== 'p2c') return undefined;
  // p2c before 0.2 recorded paths only: those files are never deleted, as nothing proves p2c wrote them.
  if (Array.isArray(r.files)) return new Map(r.files.filter((f): f is string => typeof f === 'string').map((f) => [f, '']));
  if (r.files === null || typeof r.files !== 'object') return undefined;
  return new Map(Object.entries(r.files as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Resolves a relative output path, refusing anything that would land outside `root`. */
export function insideOutput(root: string, rel: string): string {
  const abs = path.resolve(root, rel);
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..') || !abs.startsWith(root + path.sep)) {
    throw new OutputError(`refusing to write '${rel}': it is outside the output folder ${root}`);
  }
  return abs;
}

/**
 * Refuses a path with a symbolic link anywhere below `root` (the file itself included): a link, even one
 * committed to Git, could make p2c write or delete outside the output folder. Links are checked with lstat,
 * never followed; `seen` caches folders already checked within one write.
 */
export function throughNoLink(root: string, rel: string, seen: Set<string>): string {
  const abs = insideOutput(root, rel);
  const parts = path.relative(root, abs).split(path.sep);
  let at = root;
  for (const part of parts) {
    at = path.join(at, part);
    if (seen.has(at)) continue;
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(at);
    } catch {
      break; // does not exist yet: nothing below it can be a link
    }
    if (stat.isSymbolicLink()) {
      throw new OutputError(`refusing to write through the symbolic link ${path.relative(root, at)} in ${root}: p2c never follows a link out of its output folder; replace the link with a folder`);
    }
    if (stat.isDirectory()) seen.add(at);
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

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output folder's lock (created with O_EXCL, holding the pid). A lock whose process is gone (a
 * killed synth) is taken over; a live one is waited for. Limit: the pid check works on one machine, not
 * across machines sharing a network folder.
 */
/**
 * Creates `file` holding `content`, or returns false when it exists. The content is written to a private file
 * first and linked into place, so no other run ever sees the lock empty.
 */
function createWithContent(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
    // A file system without hard links: exclusive create, with a moment where the lock is empty (handled above).
    try {
      fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e2;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function lockOutput(root: string, options: WriteOptions): () => void {
  const seen = new Set<string>();
  const file = throughNoLink(root, lockFile, seen);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fromEnv = Number(process.env['P2C_LOCK_TIMEOUT']);
  const timeout = (options.lockTimeoutSeconds ?? (process.env['P2C_LOCK_TIMEOUT'] && Number.isFinite(fromEnv) && fromEnv >= 0 ? fromEnv : 120)) * 1000;
  const start = Date.now();
  let told = false;
  for (;;) {
    if (createWithContent(file, `${process.pid}\n`)) return () => fs.rmSync(file, { force: true });
    let holder = '';
    try {
      holder = fs.readFileSync(file, 'utf8').trim();
    } catch {
      continue; // released between our attempt and the read
    }
    const pid = Number(holder);
    // A lock whose content cannot be read as a pid is only stale once old: never take over one being written.
    const unreadable = !/^\d+$/.test(holder) || pid <= 0;
    const old = unreadable && Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 30_000;
    if ((unreadable && old) || (!unreadable && !alive(pid))) {
      // Stale: move it aside under a unique name, so two runs that both saw it stale cannot remove a fresh lock.
      try {
        const aside = `${file}.stale-${process.pid}`;
        fs.renameSync(file, aside);
        if (fs.readFileSync(aside, 'utf8').trim() === holder) fs.rmSync(aside, { force: true });
        else {
          // It was a fresh lock after all: put it back, never over a lock another run took meanwhile.
          try {
            fs.linkSync(aside, file);
          } finally {
            fs.rmSync(aside, { force: true });
          }
        }
      } catch {
        // another run handled it
      }
      continue;
    }
    if (Date.now() - start > timeout) {
      throw new OutputError(`another p2c (pid ${pid}) is writing ${root}; gave up after ${Math.round(timeout / 1000)}s (P2C_LOCK_TIMEOUT sets the wait)`);
    }
    if (!told) options.onWait?.(`pid ${pid}`);
    told = true;
    sleep(100);
  }
}

interface Journal {
  stage: string;
  replaced: string[];
  /** Files the swap creates, with the hash of their new content: a rollback deletes only those contents. */
  created: Record<string, string>;
  removed: string[];
}

/** Undoes a swap that was cut short, under the lock the caller holds. */
function rollBack(root: string): boolean {
  const seen = new Set<string>();
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(fs.readFileSync(throughNoLink(root, journalFile, seen), 'utf8')) as Journal;
  } catch {
    journal = undefined;
  }
  if (journal) {
    const stage = path.relative(root, String(journal.stage));
    if (!stage.startsWith(stagePrefix) || stage.includes('..')) throw new OutputError(`${journalFile} names a stage outside ${stagePrefix}*; remove the file if no synth is running`);
    for (const rel of [...journal.replaced, ...journal.removed]) {
      const target = throughNoLink(root, rel, seen);
      const backup = throughNoLink(root, path.join(stage, 'old', rel), seen);
      if (fs.existsSync(backup)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(backup, target);
      }
    }
    const created = journal.created !== null && typeof journal.created === 'object' && !Array.isArray(journal.created) ? journal.created : {};
    for (const [rel, hash] of Object.entries(created)) {
      const target = throughNoLink(root, rel, seen);
      let current: string | undefined;
      try {
        current = fs.readFileSync(target, 'utf8');
      } catch {
        continue;
      }
      // A journal is data on disk, like the record: it never gets a file deleted that p2c did not write.
      if (contentHash(current) !== hash) continue;
      fs.rmSync(target, { force: true });
      removeEmptyParents(root, target);
    }
    fs.rmSync(path.join(root, journalFile), { force: true });
  }
  // Stages of runs that died before writing a journal hold nothing the output needs.
  const bookkeeping = path.join(root, path.dirname(stagePrefix));
  for (const entry of fs.existsSync(bookkeeping) && !fs.lstatSync(bookkeeping).isSymbolicLink() ? fs.readdirSync(bookkeeping) : []) {
    if (entry.startsWith(path.basename(stagePrefix))) fs.rmSync(path.join(bookkeeping, entry), { recursive: true, force: true });
  }
  return journal !== undefined;
}

/**
 * Undoes a swap that was cut short (a killed synth): restores every replaced or removed file
 * from its backup, deletes files it had created. Returns true when there was one to undo.
 */
export function recoverOutput(outDir: string, options: WriteOptions = {}): boolean {
  const root = path.resolve(outDir);
  if (!fs.existsSync(path.join(root, '.p2c'))) return false;
  const release = lockOutput(root, options);
  try {
    return rollBack(root);
  } finally {
    release();
  }
}

/** Everything known about a write before anything is touched. */
export interface OutputPlan {
  readonly root: string;
  readonly files: ReadonlyMap<string, string>;
  readonly targets: ReadonlyMap<string, string>;
  /** Nothing of a previous output to back up. */
  readonly fresh: boolean;
  readonly toWrite: readonly string[];
  readonly added: readonly string[];
  readonly toRemove: readonly string[];
  readonly kept: readonly KeptFile[];
  readonly before: ReadonlyMap<string, string>;
  readonly unchanged: number;
  readonly newRecord: string;
  readonly recordChanged: boolean;
  readonly stage: string;
}

function listing(): (abs: string) => boolean {
  // One readdir per folder tells which files exist; reading only those avoids an exception per new file.
  const names = new Map<string, Set<string>>();
  return (abs) => {
    const dir = path.dirname(abs);
    let here = names.get(dir);
    if (!here) {
      try {
        here = new Set(fs.readdirSync(dir));
      } catch {
        here = new Set();
      }
      names.set(dir, here);
    }
    return here.has(path.basename(abs));
  };
}

/**
 * Decides what to write, under the lock: checks that p2c owns the folder and every path it touches, and
 * compares every file with what is there (only changed files are rewritten, so an unchanged mesh leaves
 * modification times alone). Deletes only files whose content is still what p2c wrote.
 */
function planOutput(root: string, files: ReadonlyMap<string, string>, options: WriteOptions): OutputPlan {
  const seen = new Set<string>();
  const record = readRecord(root);
  const entries = fs.readdirSync(root).filter((e) => e !== '.p2c' && e !== '.git');
  const fresh = entries.length === 0;
  if (!record && !fresh && !options.force) {
    throw new OutputError(`output folder ${root} is not empty and p2c has no record of writing it (${ownershipRecord}); pass --force to write into it anyway`);
  }
  const owned: Owned = record ?? new Map();
  const targets = new Map<string, string>();
  for (const rel of files.keys()) targets.set(rel, throughNoLink(root, rel, seen));

  const toWrite: string[] = [];
  const added: string[] = [];
  const foreign: string[] = [];
  const before = new Map<string, string>();
  let unchanged = 0;
  const exists = listing();
  for (const [rel, content] of files) {
    const abs = targets.get(rel)!;
    const current = !fresh && exists(abs) ? fs.readFileSync(abs, 'utf8') : undefined;
    if (current === content) unchanged++;
    else {
      toWrite.push(rel);
      if (current === undefined) added.push(rel);
      else {
        before.set(rel, current);
        if (!owned.has(rel)) foreign.push(rel);
      }
    }
  }
  if (foreign.length > 0 && !options.force) {
    const shown = foreign.sort().slice(0, 10).join(', ') + (foreign.length > 10 ? `, and ${foreign.length - 10} more` : '');
    throw new OutputError(`refusing to overwrite ${foreign.length === 1 ? 'a file' : `${foreign.length} files`} p2c did not write: ${shown} (in ${root}); move ${foreign.length === 1 ? 'it' : 'them'} away, or pass --force`);
  }
  const toRemove: string[] = [];
  const kept: KeptFile[] = [];
  for (const [rel, hash] of [...owned].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (files.has(rel) || rel.split(/[\\/]/).includes('..') || path.isAbsolute(rel)) continue;
    const abs = throughNoLink(root, rel, seen);
    if (!exists(abs)) continue;
    const current = fs.readFileSync(abs, 'utf8');
    if (hash !== '' && contentHash(current) === hash) {
      toRemove.push(rel);
      before.set(rel, current);
    } else {
      kept.push({ path: rel, reason: hash === '' ? 'recorded without a content hash (by an older p2c)' : 'changed since p2c wrote it' });
    }
  }
  const hashes = Object.fromEntries([...files.keys()].sort().map((f) => [f, contentHash(files.get(f)!)]));
  const newRecord = JSON.stringify({ generator: 'p2c', version: packageVersion, files: hashes }, null, 1) + '\n';
  let recordText: string | undefined;
  try {
    recordText = fs.readFileSync(throughNoLink(root, ownershipRecord, seen), 'utf8');
  } catch {
    recordText = undefined;
  }
  return {
    root, files, targets, fresh, toWrite: toWrite.sort(), added: added.sort(), toRemove, kept, before, unchanged,
    newRecord, recordChanged: recordText !== newRecord,
    stage: throughNoLink(root, `${stagePrefix}${process.pid}`, seen),
  };
}

function nothingToDo(plan: OutputPlan): boolean {
  return plan.toWrite.length === 0 && plan.toRemove.length === 0 && !plan.recordChanged;
}

/** Files the write replaces (they had content before). */
function replaced(plan: OutputPlan): string[] {
  return plan.toWrite.filter((f) => plan.before.has(f));
}

/** Files kept as hard links while swapping, so a killed run can be rolled back. */
function backups(plan: OutputPlan): string[] {
  return [...replaced(plan), ...plan.toRemove];
}

function stageDirectories(plan: OutputPlan): string[] {
  const dirs = new Set<string>([path.join(plan.stage, 'new', '.p2c')]);
  for (const rel of plan.toWrite) dirs.add(path.dirname(path.join(plan.stage, 'new', rel)));
  for (const rel of backups(plan)) dirs.add(path.dirname(path.join(plan.stage, 'old', rel)));
  return [...dirs].sort();
}

function linkBackup(plan: OutputPlan, rel: string): void {
  try {
    fs.linkSync(path.join(plan.root, rel), path.join(plan.stage, 'old', rel));
  } catch {
    fs.copyFileSync(path.join(plan.root, rel), path.join(plan.stage, 'old', rel));
  }
}

/** A test hook: fail or die at a chosen point of the write (P2C_FAULT=stage|swap:<n>|enospc). */
function fault(): string {
  return process.env['P2C_FAULT'] ?? '';
}

/** Stages new content (and hard links to what will be replaced) in .p2c/. Touches no output file. */
function stageOutput(plan: OutputPlan): void {
  if (nothingToDo(plan)) return;
  fs.rmSync(plan.stage, { recursive: true, force: true });
  for (const d of stageDirectories(plan)) fs.mkdirSync(d, { recursive: true });
  for (const [i, rel] of plan.toWrite.entries()) {
    if (fault() === 'enospc' && i === Math.floor(plan.toWrite.length / 2)) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${rel}'`), { code: 'ENOSPC' });
    }
    fs.writeFileSync(path.join(plan.stage, 'new', rel), plan.files.get(rel)!);
  }
  for (const rel of backups(plan)) linkBackup(plan, rel);
  fs.writeFileSync(path.join(plan.stage, 'new', ownershipRecord), plan.newRecord);
}

/**
 * Swaps the staged files in: a journal is written, the staged files are renamed into place (old ones kept as
 * hard links in the stage), and the journal is removed. A run killed in between leaves the journal, and the
 * next run first restores the previous output from it.
 */
function commitStage(plan: OutputPlan): WriteResult {
  const { root, stage } = plan;
  const result = { written: [...plan.toWrite], added: [...plan.added], removed: [...plan.toRemove], unchanged: plan.unchanged, before: plan.before, kept: plan.kept };
  if (nothingToDo(plan)) return { ...result, written: [], added: [], removed: [] };
  if (fault() === 'stage') process.kill(process.pid, 'SIGKILL');
  const journal: Journal = { stage, replaced: replaced(plan), created: Object.fromEntries(plan.added.map((f) => [f, contentHash(plan.files.get(f)!)])), removed: [...plan.toRemove] };
  fs.writeFileSync(path.join(root, `${journalFile}.tmp`), JSON.stringify(journal));
  fs.renameSync(path.join(root, `${journalFile}.tmp`), path.join(root, journalFile));
  const faultAfter = fault().startsWith('swap:') ? Number(fault().slice(5)) : NaN;
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

function systemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/**
 * Brings `outDir` to exactly `files` for what p2c owns, holding the folder's lock: rolls back an interrupted
 * earlier run, writes only changed files, removes files it wrote before and no longer produces (only while
 * their content is what it wrote), and never touches a file it did not write. A write that fails (a full
 * disk) is undone and reported as an OutputError; the previous output stays.
 */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteResult {
  const root = path.resolve(outDir);
  // Before the lock creates the folder: a path that would leave it fails with nothing created.
  for (const rel of files.keys()) insideOutput(root, rel);
  const created = !fs.existsSync(root);
  if (!created && !fs.statSync(root).isDirectory()) throw new OutputError(`output ${root} exists and is not a folder`);
  let release: (() => void) | undefined;
  let plan: OutputPlan | undefined;
  try {
    release = lockOutput(root, options);
    rollBack(root);
    plan = planOutput(root, files, options);
    const seen = new Set<string>();
    const read = (rel: string) => {
      try {
        return fs.readFileSync(throughNoLink(root, rel, seen), 'utf8');
      } catch (e) {
        if (e instanceof OutputError) throw e;
        return undefined;
      }
    };
    const extra = options.vet?.(plan.before, read);
    if (extra && extra.size > 0) plan = planOutput(root, new Map([...files, ...extra]), options);
    stageOutput(plan);
    const result = commitStage(plan);
    plan = undefined; // written: nothing below may roll it back
    options.afterWrite?.(result);
    return result;
  } catch (e) {
    if (plan && systemError(e)) {
      try {
        rollBack(root);
        fs.rmSync(plan.stage, { recursive: true, force: true });
      } catch {
        // the journal stays: the next run restores the previous output
      }
    }
    if (systemError(e)) throw new OutputError(`could not write ${root}: ${e.message}; the previous output is unchanged`);
    throw e;
  } finally {
    release?.();
    if (created) removeIfOnlyBookkeeping(root);
  }
}

/** A first write that failed leaves no empty output folder behind. */
function removeIfOnlyBookkeeping(root: string): void {
  try {
    if (fs.readdirSync(root).every((e) => e === '.p2c') && !fs.existsSync(path.join(root, ownershipRecord))) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  } catch {
    // nothing to tidy
  }
}
