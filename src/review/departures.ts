import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model/mesh.js';
import { groupOf, kindKey, sortedBy } from '../model/collections.js';
import { folderTitle, stagePrefix } from '../model/target.js';
import type { Layout, PlacedObject } from '../output/layout.js';
import { destroysData, isProtected, retireAnnotation } from '../emit/protection.js';
import { immutableChanges } from '../validate/immutable.js';
import type { SchemaCatalog } from '../validate/schema-catalog.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

/** A data-holding object that was in the previous output and is not in this one, and what GitOps does about it. */
export interface Departure {
  /** The folder it was applied from, without its stage: `kcp/root/team`, `clusters/database`. */
  readonly folder: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** kept: both engines leave it in place, no longer managed; retired: GitOps deletes it; deleted: it was never protected. */
  readonly outcome: 'kept' | 'retired' | 'deleted';
  /** Mesh.retire's reason, for retired objects. */
  readonly reason?: string;
}

export interface UpdateReview {
  readonly departures: readonly Departure[];
  /** Changes the API server would refuse (immutable fields). */
  readonly diagnostics: readonly Diagnostic[];
  /** The new content of the kept-objects ledger; undefined when nothing is kept. */
  readonly ledger?: string;
}

/**
 * Objects that left the output but stay in their workspace or cluster (kept, no longer managed), as last written.
 * Kept in the output folder, so an object declared again later under the same name is checked against what is
 * really there: an immutable field changed across two synths fails as surely as within one.
 */
export const keptLedger = '.p2c/kept.json';

interface LedgerEntry {
  readonly folder: string;
  readonly object: KubeObject;
}

function readLedger(text: string | undefined): LedgerEntry[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as { kept?: unknown };
    return Array.isArray(parsed.kept) ? parsed.kept.filter((e): e is LedgerEntry => typeof e?.folder === 'string' && typeof e?.object?.kind === 'string' && typeof e?.object?.metadata?.name === 'string') : [];
  } catch {
    return [];
  }
}

function baseFolder(folder: string): string {
  const i = folder.lastIndexOf(`/${stagePrefix}`);
  return i < 0 ? folder : folder.slice(0, i);
}

function identity(folder: string, o: KubeObject): string {
  return `${baseFolder(folder)}\u0000${kindKey(groupOf(o.apiVersion), o.kind)}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
}

/** Objects of the previous output's GitOps folders (one-shot prerequisite files are not applied by GitOps). */
function previousObjects(previous: ReadonlyMap<string, string>): { folder: string; object: KubeObject }[] {
  const out: { folder: string; object: KubeObject }[] = [];
  for (const [file, text] of previous) {
    if (!file.endsWith('/manifest.yaml') || file.startsWith('prerequisites/')) continue;
    const folder = file.slice(0, file.lastIndexOf('/'));
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) continue;
      const o = doc.toJS() as KubeObject | null;
      if (o && typeof o === 'object' && typeof o.kind === 'string' && typeof o.metadata?.name === 'string') out.push({ folder, object: o });
    }
  }
  return out;
}

/** `Workspace analytics in workspace root:team`. */
export function describeDeparture(d: Pick<Departure, 'kind' | 'name' | 'namespace' | 'folder'>): string {
  return `${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name} in ${folderTitle(d.folder)}`;
}

function leaving(previous: readonly { folder: string; object: KubeObject }[], stays: (id: string) => boolean, dataKinds: readonly string[]): Departure[] {
  const extra = new Set(dataKinds);
  const out: Departure[] = [];
  for (const { folder, object: o } of previous) {
    if (stays(identity(folder, o))) continue;
    const retired = o.metadata.annotations?.[retireAnnotation];
    const outcome = isProtected(o) ? 'kept' : retired !== undefined ? 'retired' : destroysData(o, extra) ? 'deleted' : undefined;
    if (!outcome) continue;
    out.push({
      folder: baseFolder(folder), apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), outcome, ...(outcome === 'retired' ? { reason: retired! } : {}),
    });
  }
  return sortedBy(out, (d) => `${d.folder}\u0000${d.kind}\u0000${d.namespace ?? ''}\u0000${d.name}`);
}

/**
 * Compares the files a write replaces or removes with the new output: which data-holding objects leave it (and
 * whether GitOps keeps or deletes them), and which objects change a field the API server will not let change.
 */
export function reviewUpdate(previous: ReadonlyMap<string, string>, layout: Layout, catalog: SchemaCatalog, dataKinds: readonly string[] = [], ledgerText?: string): UpdateReview {
  const now = new Map<string, PlacedObject>();
  for (const [folder, placed] of layout.folders) for (const p of placed) now.set(identity(folder, p.object), p);
  const before = previousObjects(previous);
  const ledger = readLedger(ledgerText);
  const diagnostics: Diagnostic[] = [];
  const compare = (folder: string, o: KubeObject, kept: boolean) => {
    const later = now.get(identity(folder, o));
    if (!later) return;
    for (const problem of immutableChanges(o, later.object, catalog)) {
      const what = describeDeparture({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, folder: baseFolder(folder) });
      const history = kept ? ' (it was kept there when it left the output earlier)' : '';
      diagnostics.push(diagnostic('immutableField', later.origins[0] ?? { path: '' }, `${what} changes ${problem}${history}: the API server refuses the update, so every later sync of it fails`, 'give it a new name instead (the old one stays, no longer managed), or retire it first: mesh.retire(…), sync, remove it, sync, then declare it changed'));
    }
  };
  for (const { folder, object } of before) compare(folder, object, false);
  for (const { folder, object } of ledger) compare(folder, object, true);
  const departures = leaving(before, (id) => now.has(id), dataKinds);
  // Still kept: what was kept before and is not declared again, and what is kept from now on.
  const kept = new Map<string, LedgerEntry>();
  for (const e of ledger) if (!now.has(identity(e.folder, e.object))) kept.set(identity(e.folder, e.object), e);
  const leftNow = new Map(before.map((b) => [identity(b.folder, b.object), b] as const));
  for (const d of departures) {
    if (d.outcome !== 'kept') continue;
    const id = identity(d.folder, { apiVersion: d.apiVersion, kind: d.kind, metadata: { name: d.name, ...(d.namespace ? { namespace: d.namespace } : {}) } });
    const last = leftNow.get(id);
    if (last) kept.set(id, { folder: baseFolder(last.folder), object: last.object });
  }
  const entries = sortedBy(kept.entries(), ([id]) => id).map(([, e]) => e);
  return { departures, diagnostics, ...(entries.length ? { ledger: JSON.stringify({ generator: 'p2c', kept: entries }, null, 1) + '\n' } : {}) };
}

/** The same between two outputs (`p2c diff`): data-holding objects of `base` that `head` no longer has. */
export function departuresBetween(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): Departure[] {
  const stays = new Set(previousObjects(head).map((p) => identity(p.folder, p.object)));
  return leaving(previousObjects(base), (id) => stays.has(id), []);
}

const consequence: Record<Departure['outcome'], string> = {
  kept: 'kept: Argo CD and Flux leave it in place, no longer managed (delete it on purpose with mesh.retire before removing it)',
  retired: 'retired: GitOps deletes it, and everything it holds',
  deleted: 'deleted by GitOps with everything it holds: it was last written without protection (by an older p2c, or while its kind was left out of protectedKinds)',
};

/** One line per departure, for the terminal and the commit message. */
export function formatDepartures(departures: readonly Departure[]): string[] {
  return departures.map((d) => `${describeDeparture(d)} leaves the output: ${consequence[d.outcome]}${d.reason ? ` (${d.reason})` : ''}`);
}
