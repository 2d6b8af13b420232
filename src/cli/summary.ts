import { compareText } from '../model/collections.js';
import type { Compilation } from '../pipeline.js';
import type { WriteResult } from '../output/write.js';
import { everyoneSubjects } from '../validate/security.js';

/** The short human summary printed after a synth or validate. */
export function summarize(c: Compilation, write?: WriteResult, outdir?: string): string {
  const m = c.mesh;
  const lines: string[] = [];
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`mesh '${m.name}': ${count(m.teams.length, 'team')}, ${count(m.workspaces.length, 'workspace')}, ${count(m.clusters.length, 'cluster')}, ${count(m.exports.filter((e) => !e.external).length, 'APIExport')}, ${count(m.bindings.length, 'APIBinding')}`);
  const width = Math.max(0, ...[...c.layout.folders.keys()].map((f) => f.length));
  for (const [folder, placed] of c.layout.folders) lines.push(`  ${folder.padEnd(width)}  ${placed.length} object${placed.length === 1 ? '' : 's'}`);
  if (write && outdir !== undefined) {
    lines.push(`${outdir}: ${write.written.length} written, ${write.removed.length} removed, ${write.unchanged} unchanged`);
    for (const k of write.kept) lines.push(`  kept ${k.path}: p2c no longer produces it, but did not delete it (${k.reason}); delete it yourself if unneeded`);
  }
  return lines.join('\n');
}

/** Who may bind each export and what each consumer decided, as data (validate --format json). */
export function accessData(c: Compilation) {
  const teams = new Map(c.mesh.teams.map((t) => [t.name, t] as const));
  return [...c.mesh.exports].sort((a, b) => compareText(a.key, b.key)).map((e) => ({
    export: e.name,
    workspace: e.workspacePath,
    claims: e.claims.map((x) => x.key),
    consumers: [...e.consumers].sort((x, y) => compareText(x.team, y.team)).map((b) => ({
      team: b.team,
      workspace: b.workspacePath,
      subjects: (teams.get(b.team)?.subjects ?? []).map((s) => ({ ...s })),
      accepts: [...b.accept],
      rejects: [...b.reject],
    })),
    ...(e.typeAppliers.length ? { workspaceTypeAppliers: e.typeAppliers.map((x) => ({ ...x })) } : {}),
    ...(e.marketplace?.openTo ? { openTo: e.marketplace.openTo } : {}),
    ...(e.external ? { external: true } : {}),
  }));
}

export function accessReport(c: Compilation): string {
  const lines: string[] = [];
  for (const e of [...c.mesh.exports].sort((a, b) => compareText(a.key, b.key))) {
    const external = e.external ? '; external: who may bind it is its owner\'s to grant' : '';
    lines.push(`APIExport ${e.name} in ${e.workspacePath} (claims: ${e.claims.map((x) => x.key).join(', ') || 'none'}${external})`);
    const open = e.marketplace?.openTo;
    if (e.consumers.length === 0 && e.typeAppliers.length === 0 && !open) lines.push('  nobody may bind it');
    for (const s of e.typeAppliers) lines.push(`  ${s.kind} ${s.name} may bind it: applies a WorkspaceType that binds it into every new workspace of the type`);
    if (open) lines.push(`  EVERYONE (${open === 'anonymous' ? 'User system:anonymous' : 'Group system:authenticated'}) may bind it: listed in the marketplace with openTo '${open}'`);
    const teams = new Map(c.mesh.teams.map((t) => [t.name, t] as const));
    for (const b of [...e.consumers].sort((x, y) => compareText(x.team, y.team))) {
      const rejected = b.reject.length ? `; rejects ${b.reject.join(', ')}` : '';
      const subjects = teams.get(b.team)?.subjects ?? [];
      const who = subjects.map((s) => `${s.kind} ${s.name}`).join(', ');
      const open = subjects.some((s) => everyoneSubjects.has(`${s.kind} ${s.name}`));
      if (subjects.length === 0) lines.push(`  ${b.team}: nobody may bind it (the team has no subjects); ${b.workspacePath} binds it only if someone with bind rights applies the binding`);
      else lines.push(`  ${b.team} (${who}${open ? ': EVERYONE, the export is public' : ''}) may bind it into ${b.workspacePath}; accepts ${b.accept.join(', ') || 'nothing'}${rejected}`);
    }
  }
  return lines.join('\n');
}
