import { objectsOf, type Obj, type Tree } from './tree.js';
import { folderTitle } from '../model/target.js';

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




function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Lists whose order means nothing, compared as sets by what identifies an item: RBAC subjects, kcp permission claims
 * (by group, resource and identity hash). Compared by index, adding a subject in front would read as replacing one.
 */
const setKeys: Record<string, readonly string[]> = {
  subjects: ['kind', 'name', 'namespace'],
  permissionClaims: ['group', 'resource', 'identityHash'],
};

function setChanges(a: unknown[], b: unknown[], keys: readonly string[], at: string, out: FieldChange[]): void {
  // `secrets`, `Group/team:webshop`: the item's identity, without its empty parts.
  const keyOf = (x: unknown) => (isObject(x) ? keys.map((k) => String(x[k] ?? '')).filter(Boolean).join('/') : JSON.stringify(x));
  const before = new Map(a.map((x) => [keyOf(x), x] as const));
  const after = new Map(b.map((x) => [keyOf(x), x] as const));
  for (const [k, x] of before) {
    const y = after.get(k);
    if (y === undefined) out.push({ path: `${at}[-]`, before: x });
    else fieldChanges(x, y, `${at}[${k}]`, out);
  }
  for (const [k, y] of after) if (!before.has(k)) out.push({ path: `${at}[+]`, after: y });
}

/** Leaf-level differences, paths written `spec.containers[0].image`; set-like lists by item: `subjects[+]`. */
export function fieldChanges(a: unknown, b: unknown, at = '', out: FieldChange[] = []): FieldChange[] {
  const keys = setKeys[at.slice(at.lastIndexOf('.') + 1)];
  if (keys && Array.isArray(a) && Array.isArray(b)) {
    setChanges(a, b, keys, at, out);
  } else if (isObject(a) && isObject(b)) {
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
