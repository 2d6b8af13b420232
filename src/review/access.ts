import { folderTitle } from '../model/target.js';
import { objectsOf, type Tree } from './tree.js';

/**
 * Access as a reviewer reads it, compared as sets: who may bind which export (kcp's `bind` verb on the APIExport,
 * granted by a binding of a ClusterRole), and which claims each consumer accepts or rejects (keyed by group,
 * resource and identity hash, never by list position).
 */
type Obj = { kind?: string; metadata?: { name?: string }; rules?: Rule[]; roleRef?: { name?: string }; subjects?: Subject[]; spec?: BindingSpec };
interface Rule { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; verbs?: string[] }
interface Subject { kind?: string; name?: string; namespace?: string }
interface BindingSpec { reference?: { export?: { path?: string; name?: string } }; permissionClaims?: Claim[]; defaultAPIBindings?: Array<{ path?: string; export?: string }> }
interface Claim { group?: string; resource?: string; identityHash?: string; state?: string }

export interface AccessChanges {
  /** "Group team:analytics may now bind APIExport postgres.example.com (workspace root:team:database)". */
  readonly granted: readonly string[];
  readonly revoked: readonly string[];
  /** "workspace root:team:webshop accepts secrets from APIExport …", new or changed. */
  readonly claims: readonly string[];
}

const subjectText = (s: Subject) => `${s.kind ?? 'Subject'} ${s.namespace ? `${s.namespace}/` : ''}${s.name ?? '?'}`;
const claimText = (c: Claim) => `${c.resource ?? '?'}${c.group ? `.${c.group}` : ''}${c.identityHash ? ` (identity ${c.identityHash.slice(0, 8)}…)` : ''}`;

/** Every "subject may bind export" fact of an output, as sentences. */
function bindGrants(tree: Tree): Set<string> {
  const out = new Set<string>();
  for (const [folder, objects] of objectsOf(tree, ['ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'])) {
    const list = [...objects.values()] as Obj[];
    const exportsOfRole = new Map<string, string[]>();
    for (const o of list) {
      if (o.kind !== 'ClusterRole' && o.kind !== 'Role') continue;
      const names = (o.rules ?? []).filter((r) => r.verbs?.includes('bind') && r.resources?.includes('apiexports')).flatMap((r) => r.resourceNames ?? ['(every export)']);
      if (names.length) exportsOfRole.set(o.metadata?.name ?? '', names);
    }
    for (const o of list) {
      if (o.kind !== 'ClusterRoleBinding' && o.kind !== 'RoleBinding') continue;
      for (const exp of exportsOfRole.get(o.roleRef?.name ?? '') ?? []) {
        for (const s of o.subjects ?? []) out.add(`${subjectText(s)} may bind APIExport ${exp} (${folderTitle(folder)})`);
      }
    }
  }
  return out;
}

/** Each consumer's decision on each claim: `who|export|claim` → state. */
function claimStates(tree: Tree): Map<string, { who: string; export: string; claim: string; state: string }> {
  const out = new Map<string, { who: string; export: string; claim: string; state: string }>();
  for (const [folder, objects] of objectsOf(tree, ['APIBinding'])) {
    for (const o of objects.values() as Iterable<Obj>) {
      if (o.kind !== 'APIBinding') continue;
      const ref = o.spec?.reference?.export;
      const exp = `${ref?.path ? `${ref.path}:` : ''}${ref?.name ?? o.metadata?.name ?? '?'}`;
      for (const c of o.spec?.permissionClaims ?? []) {
        const claim = claimText(c);
        out.set(`${folder}|${exp}|${claim}`, { who: folderTitle(folder), export: exp, claim, state: c.state ?? 'Accepted' });
      }
    }
  }
  return out;
}

/**
 * Each WorkspaceType's default bindings, as sentences: kcp binds them into every new workspace of the type and accepts
 * all their claims unasked (kcp v0.32.0 apibinder_initializer_reconcile.go), so a reviewer reads them as claims.
 */
function defaultBindings(tree: Tree): Set<string> {
  const out = new Set<string>();
  for (const [folder, objects] of objectsOf(tree, ['WorkspaceType'])) {
    for (const o of objects.values() as Iterable<Obj>) {
      if (o.kind !== 'WorkspaceType') continue;
      for (const d of o.spec?.defaultAPIBindings ?? []) {
        out.add(`every new workspace of WorkspaceType ${o.metadata?.name ?? '?'} (${folderTitle(folder)}) binds APIExport ${d.path ? `${d.path}:` : ''}${d.export ?? '?'}, accepting all its claims`);
      }
    }
  }
  return out;
}

export function accessChanges(base: Tree, head: Tree): AccessChanges {
  const [a, b] = [bindGrants(base), bindGrants(head)];
  const granted = [...b].filter((g) => !a.has(g)).map((g) => g.replace(' may bind ', ' may now bind ')).sort();
  const revoked = [...a].filter((g) => !b.has(g)).map((g) => g.replace(' may bind ', ' may no longer bind ')).sort();
  const [x, y] = [claimStates(base), claimStates(head)];
  const claims: string[] = [];
  for (const [k, c] of y) {
    const was = x.get(k);
    const verb = c.state === 'Rejected' ? 'rejects' : 'accepts';
    if (!was) claims.push(`${c.who} ${verb} the ${c.claim} claim of APIExport ${c.export}`);
    else if (was.state !== c.state) claims.push(`${c.who} now ${verb} the ${c.claim} claim of APIExport ${c.export} (was ${was.state})`);
  }
  for (const [k, c] of x) if (!y.has(k)) claims.push(`${c.who} no longer decides the ${c.claim} claim of APIExport ${c.export} (was ${c.state})`);
  const [p, q] = [defaultBindings(base), defaultBindings(head)];
  for (const d of q) if (!p.has(d)) claims.push(d);
  for (const d of p) if (!q.has(d)) claims.push(d.replace(' binds APIExport ', ' no longer binds APIExport ').replace(', accepting all its claims', ''));
  return { granted, revoked, claims: claims.sort() };
}
