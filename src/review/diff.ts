import { parseAllDocuments } from 'yaml';
import type { Tree } from './tree.js';
import { folderTitle } from '../model/target.js';
import { describeObject } from '../model/collections.js';
import { formatDepartures, type Departure } from './departures.js';

export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ObjectChange {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly fields: readonly FieldChange[];
}

export interface FolderChanges {
  readonly folder: string;
  /** `workspace root:team:webshop`, `cluster database`, `gitops argocd`. */
  readonly title: string;
  readonly objects: readonly ObjectChange[];
}

export interface MeshDiff {
  readonly folders: readonly FolderChanges[];
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

type Obj = { kind?: string; metadata?: { name?: string; namespace?: string } };


/** Objects of an output tree keyed by folder and identity; bookkeeping files are not objects. */
function objectsOf(tree: Tree): Map<string, Map<string, Obj>> {
  const out = new Map<string, Map<string, Obj>>();
  for (const [file, text] of tree) {
    const base = file.slice(file.lastIndexOf('/') + 1);
    if (!/\.ya?ml$/.test(base) || base === 'kustomization.yaml' || file.startsWith('.p2c/')) continue;
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '.';
    for (const doc of parseAllDocuments(text)) {
      const o = doc.toJS() as Obj | null;
      if (!o || typeof o !== 'object' || !o.kind) continue;
      const key = `${o.kind}\u0000${o.metadata?.namespace ?? ''}\u0000${o.metadata?.name ?? ''}`;
      (out.get(folder) ?? out.set(folder, new Map()).get(folder)!).set(key, o);
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Leaf-level differences, paths written `spec.permissionClaims[2].state`. */
export function fieldChanges(a: unknown, b: unknown, at = '', out: FieldChange[] = []): FieldChange[] {
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) fieldChanges(a[k], b[k], at ? `${at}.${k}` : k, out);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) fieldChanges(a[i], b[i], `${at}[${i}]`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push({ path: at, ...(a !== undefined ? { before: a } : {}), ...(b !== undefined ? { after: b } : {}) });
  }
  return out;
}

export function diffTrees(base: Tree, head: Tree): MeshDiff {
  const a = objectsOf(base);
  const b = objectsOf(head);
  const folders: FolderChanges[] = [];
  let added = 0, removed = 0, changed = 0;
  for (const folder of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const before = a.get(folder) ?? new Map<string, Obj>();
    const after = b.get(folder) ?? new Map<string, Obj>();
    const objects: ObjectChange[] = [];
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const [kind, namespace, name] = key.split('\u0000') as [string, string, string];
      const id = { kind, name, ...(namespace ? { namespace } : {}) };
      const x = before.get(key);
      const y = after.get(key);
      if (!x) { objects.push({ ...id, change: 'added', fields: [] }); added++; }
      else if (!y) { objects.push({ ...id, change: 'removed', fields: [] }); removed++; }
      else {
        const fields = fieldChanges(x, y);
        if (fields.length) { objects.push({ ...id, change: 'changed', fields }); changed++; }
      }
    }
    if (objects.length) folders.push({ folder, title: folderTitle(folder), objects });
  }
  return { folders, added, removed, changed };
}

const show = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'string' && !v.includes('\n') ? v : JSON.stringify(v));
const ident = (o: ObjectChange) => describeObject(o.kind, o.name, o.namespace);
const sign = { added: '+', removed: '-', changed: '~' } as const;

/** Data-holding objects leaving, first: what a reviewer must see before anything else. */
function leavingLines(departures: readonly Departure[], bullet: string): string[] {
  return formatDepartures(departures).map((l) => `${bullet}${l}`);
}

export function formatText(d: MeshDiff, departures: readonly Departure[] = []): string {
  if (d.folders.length === 0) return 'no changes\n';
  const lines = [`${d.added} added, ${d.changed} changed, ${d.removed} removed`];
  if (departures.length) lines.push('', `data-holding objects leaving the output (${departures.length}):`, ...leavingLines(departures, '  '));
  for (const f of d.folders) {
    lines.push('', f.title);
    for (const o of f.objects) {
      lines.push(`  ${sign[o.change]} ${ident(o)}`);
      for (const c of o.fields) lines.push(`      ${c.path}: ${show(c.before)} → ${show(c.after)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function cell(v: unknown): string {
  return '`' + show(v).replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\n/g, ' ') + '`';
}

/** What a CI job posts on a pull request. */
export function formatMarkdown(d: MeshDiff, departures: readonly Departure[] = []): string {
  if (d.folders.length === 0) return '### p2c: no changes to the generated mesh\n';
  const lines = [`### p2c: ${d.added} added, ${d.changed} changed, ${d.removed} removed`, ''];
  if (departures.length) lines.push(`#### ⚠ Data-holding objects leaving the output (${departures.length})`, '', ...leavingLines(departures, '- '), '');
  for (const f of d.folders) {
    lines.push(`#### ${f.title}`, '', '| | object | change |', '| --- | --- | --- |');
    for (const o of f.objects) {
      const detail = o.change === 'changed' ? o.fields.map((c) => `${cell(c.path)}: ${cell(c.before)} → ${cell(c.after)}`).join('<br>') : o.change;
      lines.push(`| ${sign[o.change]} | ${o.kind} \`${o.namespace ? `${o.namespace}/` : ''}${o.name}\` | ${detail} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function formatJson(d: MeshDiff, departures: readonly Departure[] = []): string {
  return JSON.stringify({ ...d, departures }, null, 2) + '\n';
}
