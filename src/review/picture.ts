import type { Prerequisite } from '../emit/prerequisites.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { compareText, groupBy, groupOf, sortedBy, append } from '../model/collections.js';

const id = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
const label = (text: string) => `["${text.replace(/"/g, "'")}"]`;

const by = sortedBy;

/** The mesh with every list in a stable order, so the document never depends on declaration order. */
function ordered(mesh: ResolvedMesh): ResolvedMesh {
  return {
    ...mesh,
    exports: by(mesh.exports, (e) => e.key),
    bindings: by(mesh.bindings, (b) => `${b.workspacePath}|${b.name}`),
    kubeBindBackends: by(mesh.kubeBindBackends, (b) => b.key),
    kubeBindOffers: by(mesh.kubeBindOffers, (o) => o.key),
    kubeBindBindings: by(mesh.kubeBindBindings, (b) => `${b.cluster}|${b.name}`),
    kroGraphs: by(mesh.kroGraphs, (g) => `${g.cluster}|${g.name}`),
    operators: by(mesh.operators, (o) => o.name),
    teams: by(mesh.teams, (t) => t.name),
  };
}

/** A mermaid flowchart in the style of the seed's diagrams: kcp workspaces, clusters, and what flows between them. */
export function meshFlowchart(unordered: ResolvedMesh): string {
  const mesh = ordered(unordered);
  // Grouped once: a mesh of thousands of teams must not scan every list per workspace.
  const exportsIn = groupBy(mesh.exports, (e) => e.workspacePath);
  const bindingsIn = groupBy(mesh.bindings, (b) => b.workspacePath);
  const agentExports = groupBy(mesh.exports, (e) => e.syncAgent?.cluster);
  const backendsIn = groupBy(mesh.kubeBindBackends, (b) => b.cluster);
  const kubeBindIn = groupBy(mesh.kubeBindBindings, (b) => b.cluster);
  const offersIn = groupBy(mesh.kubeBindOffers.filter((o) => o.api.type === 'crd'), (o) => o.backendModel?.cluster);
  const graphsIn = groupBy(mesh.kroGraphs, (g) => g.cluster);
  const operatorsIn = groupBy(mesh.operators, (o) => o.cluster);
  const lines: string[] = ['flowchart LR'];
  const edges: string[] = [];
  const exportNode = (path: string, name: string) => id('export', path, name);
  const bindingNode = (path: string, name: string) => id('binding', path, name);

  lines.push('  subgraph KCP[kcp]');
  for (const w of [...mesh.workspaces].sort((a, b) => compareText(a.path, b.path))) {
    lines.push(`    subgraph ${id('ws', w.path)}[${w.path}]`);
    const inside: string[] = [];
    for (const e of exportsIn.get(w.path) ?? []) inside.push(`      ${exportNode(w.path, e.name)}${label(`${e.resources.map((r) => r.kind).join(', ') || e.name} APIExport`)}`);
    for (const b of bindingsIn.get(w.path) ?? []) {
      inside.push(`      ${bindingNode(w.path, b.name)}${label(`${b.target?.resources.map((r) => r.kind).join(', ') || b.export.name} APIBinding`)}`);
      if (b.target?.workspacePath) edges.push(`  ${exportNode(b.target.workspacePath, b.target.name)} -.-> ${bindingNode(w.path, b.name)}`);
    }
    append(lines, [...(inside.length ? inside : [`      ${id('empty', w.path)}${label('team workspace')}`]), '    end']);
  }
  lines.push('  end');

  for (const c of [...mesh.clusters].sort((a, b) => compareText(a.name, b.name))) {
    lines.push(`  subgraph ${id('cluster', c.name)}[cluster ${c.name}]`);
    const inside: string[] = [];
    const kindNode = new Map<string, string>();
    for (const e of agentExports.get(c.name) ?? []) {
      const crd = id('crd', c.name, e.name);
      const sources = e.syncAgent?.sources ?? e.resources;
      inside.push(`    ${crd}${label(`${sources.map((r) => r.kind).join(', ')} CRD`)}`);
      if (e.syncAgent?.installCrd) for (const r of sources) kindNode.set(`${r.group}/${r.kind}`, crd);
      if (e.workspacePath) edges.push(`  ${crd} -.-> |api-syncagent| ${exportNode(e.workspacePath, e.name)}`);
    }
    for (const b of backendsIn.get(c.name) ?? []) inside.push(`    ${id('backend', c.name, b.namespace)}${label(`kube-bind backend${b.source.type === 'kcp' ? ' (kcp)' : ''}`)}`);
    for (const kb of kubeBindIn.get(c.name) ?? []) {
      const node = id('bound', c.name, kb.name);
      inside.push(`    ${node}${label(`${kb.target?.resources.map((r) => r.kind).join(', ') || kb.name} CRD (kube-bind)`)}`);
      for (const r of kb.target?.resources ?? []) kindNode.set(`${r.group}/${r.kind}`, node);
      const o = kb.target;
      if (o?.viaBinding?.workspacePath) edges.push(`  ${bindingNode(o.viaBinding.workspacePath, o.viaBinding.name)} -.-> |kube-bind| ${node}`);
      else if (o?.backendModel) edges.push(`  ${id('offer', o.key)} -.-> |kube-bind| ${node}`);
    }
    for (const o of offersIn.get(c.name) ?? []) inside.push(`    ${id('offer', o.key)}${label(`${o.resources.map((r) => r.kind).join(', ')} CRD (offered)`)}`);
    for (const g of graphsIn.get(c.name) ?? []) {
      const node = id('kro', c.name, g.name);
      inside.push(`    ${node}${label(`KRO ${g.schema.kind}`)}`);
      const uses = new Set(g.resources.map((r) => (r.template ?? r.externalRef) as { apiVersion?: string; kind?: string } | undefined)
        .map((t) => (t?.apiVersion && t.kind ? kindNode.get(`${groupOf(t.apiVersion)}/${t.kind}`) : undefined))
        .filter((n): n is string => n !== undefined));
      for (const from of [...uses].sort()) edges.push(`  ${from} -.-> ${node}`);
    }
    for (const op of operatorsIn.get(c.name) ?? []) {
      const node = id('operator', c.name, op.name);
      inside.push(`    ${node}${label(`${op.name} operator`)}`);
      if (op.workspacePath) {
        edges.push(`  ${node} -.-> ${exportNode(op.workspacePath, op.exportName)}`);
        for (const b of (bindingsIn.get(op.workspacePath) ?? []).filter((x) => x.target?.operator !== op.name)) edges.push(`  ${node} --> ${bindingNode(op.workspacePath, b.name)}`);
      }
    }
    append(lines, [...(inside.length ? inside : [`    ${id('workloads', c.name)}${label('workloads')}`]), '  end']);
  }
  return [...lines, ...[...new Set(edges)].sort()].join('\n');
}

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ['(none)'];
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** MESH.md: the picture, an inventory of who provides and binds what, and the apply order. */
export function meshDocument(unordered: ResolvedMesh, steps: readonly Prerequisite[] = []): string {
  const mesh = ordered(unordered);
  const kubeBindByOffer = groupBy(mesh.kubeBindBindings, (b) => b.offer);
  const teams = new Map(mesh.teams.map((t) => [t.name, t] as const));
  const out = [
    `# Mesh '${mesh.name}'`,
    '',
    'Generated by p2c. Do not edit: change the mesh program and run `p2c synth`.',
    '',
    '```mermaid',
    meshFlowchart(mesh),
    '```',
    '',
    '## APIs',
    '',
    ...table(['APIExport', 'workspace', 'served by', 'claims', 'may bind', 'bound by'], mesh.exports.map((e) => [
      `\`${e.name}\``,
      `\`${e.workspacePath ?? '-'}\``,
      e.syncAgent ? `api-syncagent in cluster \`${e.syncAgent.cluster}\`` : `operator \`${e.operator}\``,
      e.claims.map((c) => `\`${c.key}\``).join(', ') || '-',
      [...new Set(e.consumers.flatMap((b) => teams.get(b.team)?.subjects.map((s) => `${s.kind} \`${s.name}\``) ?? []))].sort().join(', ') || 'nobody',
      e.consumers.map((b) => `\`${b.workspacePath}\``).sort().join(', ') || '-',
    ])),
    '',
    '## kube-bind',
    '',
    ...table(['offer', 'backend', 'kinds', 'bound in clusters'], mesh.kubeBindOffers.map((o) => [
      `\`${o.name}\``,
      o.backendModel ? (o.backendModel.source.type === 'kcp' ? `workspace \`${o.backendModel.source.workspacePath}\` (runs in \`${o.backendModel.cluster}\`)` : `cluster \`${o.backendModel.cluster}\``) : '-',
      o.resources.map((r) => r.kind).join(', '),
      (kubeBindByOffer.get(o.key) ?? []).map((b) => `\`${b.cluster}\``).join(', ') || '-',
    ])),
    '',
    '## KRO graphs and operators',
    '',
    ...table(['what', 'cluster', 'serves', 'uses'], [
      ...mesh.kroGraphs.map((g) => [`KRO \`${g.name}\``, `\`${g.cluster}\``, `${g.schema.kind}.${g.schema.group}`, g.resources.map((r) => `${r.id}`).join(', ')]),
      ...mesh.operators.map((op) => [`operator \`${op.name}\``, `\`${op.cluster}\``, `\`${op.exportName}\``, mesh.exportByKey.get(`${op.workspacePath}|${op.exportName}`)?.claims.map((c) => c.key).join(', ') ?? '-']),
    ]),
    '',
    '## Apply order',
    '',
    'Each folder is applied by one GitOps app; a folder waits for the folders it depends on.',
    '',
    ...table(['wave', 'folder', 'depends on'], mesh.applyOrder.folders
      .map((f) => [String(mesh.applyOrder.wave.get(f) ?? 0), `\`${f}\``, (mesh.applyOrder.dependsOn.get(f) ?? []).map((d) => `\`${d}\``).join(', ') || '-'])
      .sort((a, b) => Number(a[0]) - Number(b[0]) || compareText(a[1]!, b[1]!))),
    '',
  ];
  if (mesh.applyOrder.relaxed.length) {
    out.push('Left to kcp at runtime (teams consume each other in both directions, so these cannot all go first):', '');
    for (const e of mesh.applyOrder.relaxed) out.push(`- \`${e.from}\` → \`${e.to}\`: ${e.why}`);
    out.push('');
  }
  append(out, prerequisiteSection(steps));
  return out.join('\n');
}

/** The steps p2c cannot declare, numbered, each with why and the exact command. */
export function prerequisiteSection(steps: readonly Prerequisite[]): string[] {
  if (steps.length === 0) return [];
  const out = ['## Prerequisites p2c cannot declare', '', 'Do these once, in this order; GitOps applies everything else.', ''];
  steps.forEach((p, i) => out.push(`${i + 1}. **${p.title}**: ${p.why}.`, '', '   ```sh', ...p.command.split('\n').map((l) => `   ${l}`), '   ```', ''));
  return out;
}
