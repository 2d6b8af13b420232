import { kindsAt, lookupKind } from '../resolve/availability.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { KroGraphModel, KroResourceModel } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { simpleSchemaProblems } from '../model/kro-crd.js';
import { isCoreKind } from '../validate/core-kinds.js';
import { groupBy, groupOf } from '../model/collections.js';

import { expressionsOf, referencedNames, schemaSpecPaths, simpleSchemaField, templateKind } from '../model/kro.js';
export { templateKind, referencedNames };

// Names a KRO expression may start with besides resource ids: the instance and CEL libraries kro registers
// (kro v0.9.3 pkg/cel/environment.go BaseDeclarations).
const builtins = new Set(['schema', 'each', 'item', 'runtime', 'json', 'random', 'hash', 'base64', 'math', 'strings', 'lists', 'maps', 'map', 'sets', 'cel', 'self', 'dyn', 'type', 'optional']);

function findCycle(ids: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const next of [...(edges.get(id) ?? [])].sort()) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const c = visit(next);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of ids) if (!state.has(id)) {
    const c = visit(id);
    if (c) return c;
  }
  return undefined;
}

function checkGraph(mesh: ResolvedMesh, g: KroGraphModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ids = g.resources.map((r) => r.id);
  const idSet = new Set(ids);
  const seen = new Set<string>();
  for (const id of ids) {
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id) || builtins.has(id)) out.push(diagnostic('invalidName', g.origin, `KRO graph '${g.name}' resource id '${id}' must be lowerCamelCase and not a reserved name (${[...builtins].slice(0, 3).join(', ')}, …)`));
    if (seen.has(id)) out.push(diagnostic('duplicateName', g.origin, `KRO graph '${g.name}' declares resource id '${id}' twice`));
    seen.add(id);
  }
  const cluster = { type: 'cluster', name: g.cluster } as const;
  const edges = new Map<string, Set<string>>();
  for (const r of g.resources) {
    const k = templateKind(r);
    if (!k) {
      out.push(diagnostic('invalidInput', g.origin, `KRO graph '${g.name}' resource '${r.id}' needs exactly one of template or externalRef, with apiVersion and kind`));
    } else if (!isCoreKind(k.apiVersion, k.kind)) {
      // kro resolves the template's exact group, kind and version in the cluster.
      const there = lookupKind(mesh.availability, cluster, k.apiVersion, k.kind);
      if (there.found === 'missing') {
        const available = [...(kindsAt(mesh.availability, cluster)?.keys() ?? [])].sort();
        out.push(diagnostic('unknownKind', g.origin, `KRO graph '${g.name}' resource '${r.id}' uses ${k.apiVersion} ${k.kind}, which is not available in cluster '${g.cluster}'`,
          `install its CRD in the cluster, bind it there with kube-bind, or declare it with new InstalledAPI(cluster, …) (available custom kinds: ${available.join(', ') || 'none'})`));
      } else if (there.found === 'unserved') {
        out.push(diagnostic('unknownKind', g.origin, `KRO graph '${g.name}' resource '${r.id}' uses ${k.apiVersion} ${k.kind}, but cluster '${g.cluster}' serves ${k.kind} only as ${there.kind.versions.join(', ') || 'no version'} (${there.kind.what})`, `use apiVersion ${k.group}/${there.kind.versions[0] ?? '<served version>'}`));
      }
    }
    const deps = new Set<string>();
    // A collection's iterators are names its own template reads; the lists they walk are read like any expression.
    const iterators = new Set(r.forEach.flatMap((f) => Object.keys(f)));
    for (const e of expressionsOf([r.template, r.externalRef, r.includeWhen, r.forEach.flatMap((f) => Object.values(f))])) {
      for (const path of schemaSpecPaths(e)) {
        if (simpleSchemaField(g, path) === 'missing') out.push(diagnostic('unknownReference', g.origin, `KRO graph '${g.name}' resource '${r.id}' reads schema.spec.${path.join('.')}, which the graph's schema does not declare`, `declare it in schema.spec, or fix the name (declared: ${Object.keys(g.schema.spec ?? {}).join(', ') || 'nothing'})`));
      }
      for (const name of referencedNames(e)) {
        if (builtins.has(name) || iterators.has(name)) continue;
        if (!idSet.has(name)) out.push(diagnostic('unknownReference', g.origin, `KRO graph '${g.name}' resource '${r.id}' references '${name}', which is not a resource id of the graph`, `known ids: ${ids.join(', ')}; the instance is 'schema'`));
        else if (name !== r.id) deps.add(name);
      }
    }
    for (const e of expressionsOf(r.readyWhen)) for (const name of referencedNames(e)) if (!builtins.has(name) && name !== r.id) out.push(diagnostic('unknownReference', g.origin, `KRO graph '${g.name}' resource '${r.id}' readyWhen may only reference '${r.id}', not '${name}'`));
    edges.set(r.id, deps);
  }
  for (const e of expressionsOf(g.schema.status)) for (const name of referencedNames(e)) if (!builtins.has(name) && !idSet.has(name)) out.push(diagnostic('unknownReference', g.origin, `KRO graph '${g.name}' status references '${name}', which is not a resource id of the graph`));
  const cycle = findCycle(ids, edges);
  if (cycle) out.push(diagnostic('cycle', g.origin, `KRO graph '${g.name}' resources reference each other in a cycle: ${cycle.join(' → ')}`, 'kro creates resources in dependency order; break the cycle'));
  return out;
}

/** Graphs that use each other's kinds (nested graphs) must not depend on each other in a circle. */
function graphCycles(mesh: ResolvedMesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const graphs of groupBy(mesh.kroGraphs, (g) => g.cluster).values()) {
    const producer = new Map(graphs.map((g) => [`${g.schema.group}/${g.schema.kind}`, g.name] as const));
    const edges = new Map<string, Set<string>>();
    for (const g of graphs) {
      const uses = new Set<string>();
      for (const r of g.resources) {
        const k = templateKind(r);
        const p = k && producer.get(`${k.group}/${k.kind}`);
        if (p) uses.add(p);
      }
      edges.set(g.name, uses);
    }
    const names = graphs.map((g) => g.name).sort();
    const cycle = findCycle(names, edges);
    if (cycle) {
      const first = graphs.find((g) => g.name === cycle[0])!;
      out.push(diagnostic('cycle', first.origin, `KRO graphs use each other's kinds in a cycle: ${cycle.join(' → ')}`, 'kro needs a graph\'s child kinds to exist before the graph; break the cycle'));
    }
  }
  return out;
}

/** kro v0.9.3 refuses a graph whose SimpleSchema it cannot turn into a CRD (pkg/simpleschema markers.go, parse.go). */
function schemaProblems(g: KroGraphModel): Diagnostic[] {
  return simpleSchemaProblems(g).map((p) => diagnostic('invalidInput', g.origin, `KRO graph '${g.name}' schema ${p}; kro would refuse the graph`,
    'types: string, integer, boolean, float, object, []T, map[string]T or a name in types; markers as kro documents them'));
}

export function kroRules(mesh: ResolvedMesh): Diagnostic[] {
  return [...mesh.kroGraphs.flatMap((g) => [...schemaProblems(g), ...checkGraph(mesh, g)]), ...graphCycles(mesh)];
}
