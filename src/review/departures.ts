import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../model/mesh.js';
import { describeObject, sortedBy } from '../model/collections.js';
import { baseFolderOf, folderTitle, objectIdentity } from '../model/target.js';
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
  return `${describeObject(d.kind, d.name, d.namespace)} in ${folderTitle(d.folder)}`;
}

/** Data-holding objects of `previous` that do not stay, each with the object as it was last written. */
function leaving(previous: readonly LedgerEntry[], stays: (id: string) => boolean, dataKinds: readonly string[]): Array<{ departure: Departure; last: LedgerEntry }> {
  const extra = new Set(dataKinds);
  const out: Array<{ departure: Departure; last: LedgerEntry }> = [];
  for (const { folder, object: o } of previous) {
    if (stays(objectIdentity(folder, o))) continue;
    const retired = o.metadata.annotations?.[retireAnnotation];
    const outcome = isProtected(o) ? 'kept' : retired !== undefined ? 'retired' : destroysData(o, extra) ? 'deleted' : undefined;
    if (!outcome) continue;
    const departure: Departure = {
      folder: baseFolderOf(folder), apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name,
      ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), outcome, ...(outcome === 'retired' ? { reason: retired! } : {}),
    };
    out.push({ departure, last: { folder: baseFolderOf(folder), object: o } });
  }
  return sortedBy(out, ({ departure: d }) => `${d.folder}\u0000${d.kind}\u0000${d.namespace ?? ''}\u0000${d.name}`);
}

/**
 * Compares the files a write replaces or removes with the new output: which data-holding objects leave it (and
 * whether GitOps keeps or deletes them), and which objects change a field the API server will not let change.
 */
export function reviewUpdate(previous: ReadonlyMap<string, string>, layout: Layout, catalog: SchemaCatalog, dataKinds: readonly string[] = [], ledgerText?: string): UpdateReview {
  const now = new Map<string, PlacedObject>();
  for (const [folder, placed] of layout.folders) for (const p of placed) now.set(objectIdentity(folder, p.object), p);
  const before = previousObjects(previous);
  const ledger = readLedger(ledgerText);
  const diagnostics: Diagnostic[] = [];
  const compare = (folder: string, o: KubeObject, kept: boolean) => {
    const later = now.get(objectIdentity(folder, o));
    if (!later) return;
    for (const problem of immutableChanges(o, later.object, catalog)) {
      const what = describeDeparture({ kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, folder: baseFolderOf(folder) });
      const history = kept ? ' (it was kept there when it left the output earlier)' : '';
      diagnostics.push(diagnostic('immutableField', later.origins[0] ?? { path: '' }, `${what} changes ${problem}${history}: the API server refuses the update, so every later sync of it fails`, 'give it a new name instead (the old one stays, no longer managed), or retire it first: mesh.retire(…), sync, remove it, sync, then declare it changed'));
    }
  };
  for (const { folder, object } of before) compare(folder, object, false);
  for (const { folder, object } of ledger) compare(folder, object, true);
  const left = leaving(before, (id) => now.has(id), dataKinds);
  // Still kept: what was kept before and is not declared again, and what is kept from now on.
  const kept = [...ledger.filter((e) => !now.has(objectIdentity(e.folder, e.object))), ...left.filter((l) => l.departure.outcome === 'kept').map((l) => l.last)];
  const entries = sortedBy(new Map(kept.map((e) => [objectIdentity(e.folder, e.object), e] as const)), ([id]) => id).map(([, e]) => e);
  const text = entries.length ? JSON.stringify({ generator: 'p2c', kept: entries }, null, 1) + '\n' : undefined;
  return { departures: left.map((l) => l.departure), diagnostics, ...(text ? { ledger: text } : {}) };
}

/** The same between two outputs (`p2c diff`): data-holding objects of `base` that `head` no longer has. */
export function departuresBetween(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): Departure[] {
  const stays = new Set(previousObjects(head).map((p) => objectIdentity(p.folder, p.object)));
  return leaving(previousObjects(base), (id) => stays.has(id), []).map((l) => l.departure);
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
