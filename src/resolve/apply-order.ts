import type { MeshModel, KubeBindBackendModel, Target } from '../model/mesh.js';
import { applyTargets, baseTarget, folderOf, parentPath } from '../model/target.js';
import { groupBy } from '../model/collections.js';

/**
 * An ordering constraint between two output folders (each applied by one GitOps app).
 * Hard edges must hold or the apply fails for good (a workspace must exist before anything is
 * applied inside it). Soft edges are what kcp and the controllers also converge to on their
 * own (an APIBinding waits in phase Binding until its export appears): they order the apply
 * when they can, and give way when teams consume each other's APIs in both directions.
 */
export interface OrderEdge {
  readonly from: string;
  readonly to: string;
  readonly hard: boolean;
  readonly why: string;
}

export interface ApplyOrder {
  /** Every folder applied, sorted. */
  readonly folders: readonly string[];
  /** Edges that order the apply (GitOps dependsOn / waves). */
  readonly edges: readonly OrderEdge[];
  /** Soft edges left out because they would close a cycle; kcp resolves them at runtime. */
  readonly relaxed: readonly OrderEdge[];
  /** Hard edges on a cycle: the mesh can never be applied. */
  readonly cycles: readonly (readonly string[])[];
  /** Folder → wave (0 first). */
  readonly wave: ReadonlyMap<string, number>;
  /** Folder → folders it directly depends on. */
  readonly dependsOn: ReadonlyMap<string, readonly string[]>;
}

function ws(path: string): string {
  return folderOf({ type: 'workspace', path });
}
function cl(name: string): string {
  return folderOf({ type: 'cluster', name });
}

/** Strongly connected components (Tarjan, iterative-safe for mesh sizes via explicit recursion depth of the graph). */
function components(nodes: readonly string[], edges: readonly OrderEdge[]): Map<string, number> {
  const out = new Map<string, string[]>();
  for (const e of edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comp = new Map<string, number>();
  let next = 0;
  let compCount = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    // Iterative Tarjan: meshes can have thousands of folders.
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, next); low.set(root, next); next++; stack.push(root); onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const succ = out.get(top.node) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!index.has(w)) {
          index.set(w, next); low.set(w, next); next++; stack.push(w); onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
      } else {
        work.pop();
        if (work.length) { const parent = work[work.length - 1]!.node; low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!)); }
        if (low.get(top.node) === index.get(top.node)) {
          let w: string;
          do { w = stack.pop()!; onStack.delete(w); comp.set(w, compCount); } while (w !== top.node);
          compCount++;
        }
      }
    }
  }
  return comp;
}

function kubeBindSource(b: KubeBindBackendModel | undefined): string | undefined {
  if (!b) return undefined;
  return b.source.type === 'kcp' && b.source.workspacePath ? ws(b.source.workspacePath) : cl(b.cluster);
}

export function computeApplyOrder(model: MeshModel, staged: readonly Target[] = []): ApplyOrder {
  const folders = applyTargets({ ...model, staged }).map(folderOf);
  const known = new Set(folders);
  const all: OrderEdge[] = [];
  const add = (from: string | undefined, to: string | undefined, hard: boolean, why: string) => {
    if (from && to && from !== to && known.has(from) && known.has(to)) all.push({ from, to, hard, why });
  };
  for (const f of folders) {
    if (!f.startsWith('kcp/')) continue;
    const path = f.slice(4).split('/').join(':');
    const parent = parentPath(path);
    if (parent) add(ws(parent), f, true, `workspace ${path} is created in ${parent}`);
  }
  // Each stage folder after the stage before it (or its base folder): what creates its kinds lives there.
  const stageNumber = (t: Target) => (t.type === 'gitops' ? 0 : t.stage ?? 0);
  for (const [base, stages] of groupBy(staged, (t) => folderOf(baseTarget(t)))) {
    const chain = [base, ...[...stages].sort((a, b) => stageNumber(a) - stageNumber(b)).map(folderOf)];
    for (let i = 1; i < chain.length; i++) add(chain[i - 1], chain[i], true, `${chain[i]} holds objects whose kinds are created at runtime by what ${base} applies`);
  }
  for (const b of model.bindings) {
    if (b.workspacePath && b.export.path) add(ws(b.export.path), ws(b.workspacePath), false, `APIExport ${b.export.name} before its APIBinding`);
  }
  for (const e of model.exports) {
    if (e.syncAgent && e.workspacePath) add(ws(e.workspacePath), cl(e.syncAgent.cluster), false, `APIExport ${e.name} before the api-syncagent serving it`);
  }
  const backends = new Map(model.kubeBindBackends.map((b) => [b.key, b] as const));
  const offers = new Map(model.kubeBindOffers.map((o) => [o.key, o] as const));
  for (const kb of model.kubeBindBindings) {
    const backend = backends.get(offers.get(kb.offer)?.backend ?? '');
    const source = kubeBindSource(backend);
    add(source, cl(kb.cluster), backend?.source.type === 'kcp', `kube-bind offer before the binding in ${kb.cluster}`);
  }
  // kcp admits a Workspace only with its WorkspaceType there (account-operator waits for it Ready).
  const typeFolders = new Map(model.workspaceTypes.map((t) => [`${t.path}|${t.name}`, t.path] as const));
  for (const w of model.workspaces) {
    const parent = parentPath(w.path);
    const typePath = w.type && parent ? typeFolders.get(`${w.type.path ?? parent}|${w.type.name}`) : undefined;
    if (typePath && parent && typePath !== parent) add(ws(typePath), ws(parent), false, `WorkspaceType ${w.type!.name} before the workspaces of that type`);
  }
  for (const op of model.operators) {
    if (op.workspacePath && op.cluster) add(ws(op.workspacePath), cl(op.cluster), true, `APIExport ${op.exportName} and its bindings before operator ${op.name}`);
  }
  // Sorted first so the edge kept for a pair (and its reason) never depends on declaration order.
  all.sort((a, b) => (`${a.from} ${a.to} ${a.hard ? 0 : 1} ${a.why}` < `${b.from} ${b.to} ${b.hard ? 0 : 1} ${b.why}` ? -1 : 1));
  const unique = new Map<string, OrderEdge>();
  for (const e of all) {
    const k = `${e.from}\u0000${e.to}`;
    const seen = unique.get(k);
    if (!seen || (e.hard && !seen.hard)) unique.set(k, e);
  }
  const edges0 = [...unique.values()].sort((a, b) => (`${a.from} ${a.to}` < `${b.from} ${b.to}` ? -1 : 1));

  const comp = components(folders, edges0);
  const inCycle = (e: OrderEdge) => !e.hard && comp.get(e.from) === comp.get(e.to);
  const relaxed = edges0.filter(inCycle);
  const edges = edges0.filter((e) => !inCycle(e));
  const hardComp = components(folders, edges);
  const cycles = [...groupBy(folders, (f) => String(hardComp.get(f))).values()].filter((m) => m.length > 1);

  const preds = new Map([...groupBy(edges, (e) => e.to)].map(([to, es]) => [to, es.map((e) => e.from)] as const));
  // Kahn's algorithm: waves by longest path, iterative so long chains of teams cannot overflow the stack.
  const succ = new Map<string, string[]>();
  const indegree = new Map<string, number>(folders.map((f) => [f, 0]));
  for (const e of edges) {
    (succ.get(e.from) ?? succ.set(e.from, []).get(e.from)!).push(e.to);
    indegree.set(e.to, indegree.get(e.to)! + 1);
  }
  const wave = new Map<string, number>();
  const queue = folders.filter((f) => indegree.get(f) === 0);
  for (const f of queue) wave.set(f, 0);
  for (let i = 0; i < queue.length; i++) {
    const f = queue[i]!;
    for (const t of succ.get(f) ?? []) {
      wave.set(t, Math.max(wave.get(t) ?? 0, wave.get(f)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  for (const f of folders) if (!wave.has(f)) wave.set(f, 0); // only on a hard cycle, which is reported
  const dependsOn = new Map(folders.map((f) => [f, [...new Set(preds.get(f) ?? [])].sort()] as const));
  return { folders, edges, relaxed, cycles, wave, dependsOn };
}
