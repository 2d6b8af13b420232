import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** An output tree as relative path → content, from a folder or from a Git revision. */
export type Tree = Map<string, string>;

export type Obj = { kind?: string; metadata?: { name?: string; namespace?: string } };

/**
 * Objects of an output tree keyed by folder and identity; bookkeeping files are not objects. `kinds` limits it to objects of those kinds: only the documents that say `kind: <one of them>` at their top level
 * are parsed, which keeps a synth that compares contracts against a large previous output linear and cheap.
 */
export function objectsOf(tree: Tree, kinds?: readonly string[]): Map<string, Map<string, Obj>> {
  const out = new Map<string, Map<string, Obj>>();
  const wanted = kinds && new RegExp(`^kind: (?:${kinds.join('|')})$`, 'm');
  for (const [file, text] of tree) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (!/\.ya?ml$/.test(base) || base === 'kustomization.yaml' || file.startsWith('.p2c/')) continue;
    if (wanted && !wanted.test(text)) continue;
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    const docs = wanted ? text.split(/^---$/m).filter((d) => wanted.test(d)).flatMap((d) => parseAllDocuments(d)) : parseAllDocuments(text);
    for (const doc of docs) {
      const o = doc.toJS() as Obj | null;
      if (!o || typeof o !== 'object' || !o.kind) continue;
      const key = `${o.kind}\u0000${o.metadata?.namespace ?? ''}\u0000${o.metadata?.name ?? ''}`;
      (out.get(folder) ?? out.set(folder, new Map()).get(folder)!).set(key, o);
    }
  }
  return out;
}



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

/** What every output p2c writes holds, whatever the mesh: its picture and its ownership record. */
export function isOutput(tree: Tree): boolean {
  return tree.has('MESH.md') || tree.has('.p2c/owned.json');
}

/**
 * Both sides of a diff must be p2c outputs: a wrong --path or folder would otherwise compare two empty trees and
 * report "no changes". One side may be empty (the output does not exist yet at the base revision), not both.
 */
export function checkSides(sides: ReadonlyArray<{ tree: Tree; label: string }>): void {
  for (const s of sides) {
    if (s.tree.size > 0 && !isOutput(s.tree)) throw new Error(`${s.label} holds no p2c output (no MESH.md or .p2c/owned.json there); is --path right?`);
  }
  if (sides.every((s) => s.tree.size === 0)) throw new Error(`neither ${sides.map((s) => s.label).join(' nor ')} holds a p2c output; is --path right?`);
}
