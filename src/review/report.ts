import { describeObject, append } from '../model/collections.js';
import { accessChanges, type AccessChanges } from './access.js';
import { contractChanges, describeContractChange, unintended, type ContractChange } from './contracts.js';
import { departuresBetween, formatDepartures, type Departure } from './departures.js';
import { diffTrees, type FolderChanges, type MeshDiff, type ObjectChange } from './diff.js';
import type { Tree } from './tree.js';

/** Everything a reviewer of a change to the output needs, most dangerous first. */
export interface Review {
  readonly diff: MeshDiff;
  /** Data-holding objects leaving the output: kept, retired (GitOps deletes them) or deleted. */
  readonly departures: readonly Departure[];
  readonly access: AccessChanges;
  readonly contracts: readonly ContractChange[];
}

export function reviewBetween(base: Tree, head: Tree): Review {
  return { diff: diffTrees(base, head), departures: departuresBetween(base, head), access: accessChanges(base, head), contracts: contractChanges(base, head) };
}

/** GitHub refuses comments over 65,536 characters: the markdown stays under this, the rest is in --format json. */
export const commentBudget = 60_000;
/** Sections longer than this fold into <details>. */
const foldAfter = 15;

const show = (v: unknown) => (v === undefined ? '(unset)' : typeof v === 'string' && !v.includes('\n') ? v : JSON.stringify(v));
const cell = (v: unknown) => '`' + show(v).replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\n/g, ' ') + '`';
const sign = { added: '+', removed: '-', changed: '~' } as const;
const accessCount = (a: AccessChanges) => a.granted.length + a.revoked.length + a.claims.length;

/** The same change to the same kind in many folders (an image bump across 300 clusters) is said once. */
interface Repeated { readonly change: ObjectChange; readonly folders: string[] }
function repeatedChanges(folders: readonly FolderChanges[]): { repeated: Repeated[]; rest: FolderChanges[] } {
  // The same object (kind, namespace, name) changed alike in each folder: two objects of one kind are two changes.
  const signature = (o: ObjectChange) => JSON.stringify([o.kind, o.namespace ?? '', o.name, o.change, o.fields]);
  const seen = new Map<string, Repeated>();
  for (const f of folders) for (const o of f.objects) {
    const k = signature(o);
    const r = seen.get(k) ?? seen.set(k, { change: o, folders: [] }).get(k)!;
    r.folders.push(f.title);
  }
  const repeated = [...seen.entries()].filter(([, r]) => r.folders.length >= 3 && r.change.change === 'changed');
  const grouped = new Set(repeated.map(([k]) => k));
  const rest = folders.map((f) => ({ ...f, objects: f.objects.filter((o) => !grouped.has(signature(o))) })).filter((f) => f.objects.length);
  return { repeated: repeated.map(([, r]) => r), rest };
}

function fold(summary: string, lines: readonly string[]): string[] {
  if (lines.length <= foldAfter) return [...lines, ''];
  return [`<details><summary>${summary}</summary>`, '', ...lines, '', '</details>', ''];
}

/** What a CI job posts on a pull request: danger, access, contracts, then every change; under the comment limit. */
export function formatMarkdown(r: Review, budget = commentBudget): string {
  const { diff: d, departures, access, contracts } = r;
  if (d.folders.length === 0) return '### p2c: no changes to the generated mesh\n';
  const breaking = contracts.filter((c) => c.breaking);
  const out: string[] = [
    `### p2c: ${d.added} added, ${d.changed} changed, ${d.removed} removed`,
    '',
    `> ${departures.length ? '⚠ ' : ''}${departures.length} data-holding object${departures.length === 1 ? '' : 's'} leaving · ${accessCount(access)} access change${accessCount(access) === 1 ? '' : 's'} · ${contracts.length} contract change${contracts.length === 1 ? '' : 's'} (${breaking.length} breaking${unintended(contracts).length ? `, ${unintended(contracts).length} not marked intended` : ''})`,
    '',
    `#### 1. ${departures.length ? '⚠ ' : ''}Deletes or orphans data (${departures.length})`,
    '',
    ...(departures.length ? fold(`${departures.length} objects`, formatDepartures(departures).map((l) => `- ${l}`)) : ['none', '']),
    `#### 2. Access (${accessCount(access)})`,
    '',
  ];
  if (accessCount(access) === 0) out.push('none', '');
  if (access.granted.length) out.push(`**May now bind (${access.granted.length})**`, '', ...fold('show', access.granted.map((l) => `- ${l}`)));
  if (access.revoked.length) out.push(`**May no longer bind (${access.revoked.length})**`, '', ...fold('show', access.revoked.map((l) => `- ${l}`)));
  if (access.claims.length) out.push(`**Claims (${access.claims.length})**`, '', ...fold('show', access.claims.map((l) => `- ${l}`)));
  out.push(`#### 3. Contract changes (${contracts.length}, ${breaking.length} breaking)`, '');
  const contractLines = [...breaking, ...contracts.filter((c) => !c.breaking)].map((c) => `- ${c.breaking ? (c.intended ? '⚠ breaking, intended:' : '❌ breaking:') : 'compatible:'} ${describeContractChange(c)}`);
  append(out, (contracts.length ? fold(`${contracts.length} changes`, contractLines) : ['none', '']));

  const { repeated, rest } = repeatedChanges(d.folders);
  out.push(`#### 4. All changes (${d.folders.length} folder${d.folders.length === 1 ? '' : 's'})`, '');
  for (const rep of repeated) {
    const o = rep.change;
    const fields = o.fields.map((c) => `${cell(c.path)}: ${cell(c.before)} → ${cell(c.after)}`).join('<br>');
    append(out, fold(`${o.kind} \`${o.name}\` in ${rep.folders.length} folders`, [`Same change to ${o.kind} \`${o.name}\` in ${rep.folders.length} folders: ${fields}`, '', ...rep.folders.map((f) => `- ${f}`)]));
  }
  let text = out.join('\n');
  let shown = 0;
  for (const f of rest) {
    const rows = f.objects.map((o) => {
      const detail = o.change === 'changed' ? o.fields.map((c) => `${cell(c.path)}: ${cell(c.before)} → ${cell(c.after)}`).join('<br>') : o.change;
      return `| ${sign[o.change]} | ${o.kind} \`${o.namespace ? `${o.namespace}/` : ''}${o.name}\` | ${detail} |`;
    });
    const table = ['| | object | change |', '| --- | --- | --- |', ...rows];
    const block = [`**${f.title}**`, '', ...(rows.length > foldAfter ? fold(`${rows.length} objects`, table) : [...table, ''])].join('\n');
    if (text.length + block.length + 400 > budget) break;
    text += `\n${block}`;
    shown++;
  }
  if (shown < rest.length) {
    text += `\n_${rest.length - shown} more folder${rest.length - shown === 1 ? '' : 's'} not shown: the comment stays under GitHub's size limit. The full list: \`p2c diff … --format json\` (the CI job keeps it as an artifact)._\n`;
  }
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function formatText(r: Review): string {
  const { diff: d, departures, access, contracts } = r;
  if (d.folders.length === 0) return 'no changes\n';
  const lines = [`${d.added} added, ${d.changed} changed, ${d.removed} removed`];
  if (departures.length) lines.push('', `data-holding objects leaving the output (${departures.length}):`, ...formatDepartures(departures).map((l) => `  ${l}`));
  if (accessCount(access)) lines.push('', `access (${accessCount(access)}):`, ...[...access.granted, ...access.revoked, ...access.claims].map((l) => `  ${l}`));
  if (contracts.length) lines.push('', `contract changes (${contracts.length}):`, ...contracts.map((c) => `  ${c.breaking ? (c.intended ? 'breaking, intended' : 'BREAKING') : 'compatible'}: ${describeContractChange(c)}`));
  for (const f of d.folders) {
    lines.push('', f.title);
    for (const o of f.objects) {
      lines.push(`  ${sign[o.change]} ${describeObject(o.kind, o.name, o.namespace)}`);
      for (const c of o.fields) lines.push(`      ${c.path}: ${show(c.before)} → ${show(c.after)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function formatJson(r: Review): string {
  return JSON.stringify({ ...r.diff, departures: r.departures, access: r.access, contracts: r.contracts }, null, 2) + '\n';
}
