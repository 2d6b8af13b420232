import type { KroGraphModel, KubeObject, ServiceResourceModel, Target } from '../model/mesh.js';
import { folderOf } from '../model/target.js';
import { groupOf, kindKey } from '../model/collections.js';
import { templateKind } from '../model/kro.js';

/**
 * Kinds that only exist once something in the same folder has run: a CRD a controller creates, an API kcp
 * serves once a binding is bound. Flux's kustomize-controller dry-runs every object of a stage before it
 * applies any (fluxcd/pkg ssa/manager_apply.go, ApplyAllStaged), so such an object in the folder of what
 * creates its kind fails the dry run forever, and with it the whole folder. p2c puts it into a stage folder
 * applied after the folder it needs: `<folder>/_stage-<n>`, its own Argo CD Application and Flux
 * Kustomization, ordered after stage n-1.
 */
export interface RuntimeKind {
  /** The first stage whose objects may have this kind. */
  readonly stage: number;
  /** What creates the kind, for MESH.md and messages. */
  readonly createdBy: string;
}

export interface Stages {
  /** Base folder → `group/Kind` → when it exists there. */
  readonly kinds: ReadonlyMap<string, ReadonlyMap<string, RuntimeKind>>;
  /**
   * Objects that wait on something other than their kind (objectKey → stage): a KRO graph where every kind it uses
   * exists; a kube-bind template of a graph's kind, once kro made its CRD; an APIBinding of an export its own folder
   * creates.
   */
  readonly objects: ReadonlyMap<string, number>;
}

function objectKey(target: Target, group: string, kind: string, name: string): string {
  return `${folderOf(target)}|${kindKey(group, kind)}|${name}`;
}

/** What stages need of kube-bind offers: those of a KRO graph's kind wait for it. */
export type Offered = readonly { readonly name: string; readonly api: { readonly type: string; readonly graph?: { readonly cluster: string; readonly name: string } } }[];

/** What stages need of the resolved mesh: bindings with their exports, kube-bind bindings with their offers. */
export type Bound = readonly {
  readonly name: string;
  readonly workspacePath?: string;
  readonly target?: { readonly resources: readonly ServiceResourceModel[]; readonly workspacePath?: string; readonly external?: boolean };
}[];
export type KubeBound = readonly { readonly name: string; readonly cluster: string; readonly target?: { readonly resources: readonly ServiceResourceModel[] } }[];

export function computeStages(bindings: Bound, kubeBindBindings: KubeBound, kroGraphs: readonly KroGraphModel[], offered: Offered = []): Stages {
  const kinds = new Map<string, Map<string, RuntimeKind>>();
  const add = (target: Target, group: string, kind: string, k: RuntimeKind) => {
    const folder = folderOf(target);
    const m = kinds.get(folder) ?? kinds.set(folder, new Map()).get(folder)!;
    const seen = m.get(kindKey(group, kind));
    if (!seen || seen.stage < k.stage) m.set(kindKey(group, kind), k);
  };
  const objects = new Map<string, number>();
  for (const b of bindings) {
    if (!b.workspacePath) continue;
    // kcp v0.32.3 pkg/admission/apibinding/apibinding_admission.go: a binding is admitted only once its export is in
    // kcp's informer cache (else "no permission to bind"), so one apply of an export and a binding of it is refused.
    const ownExport = b.target !== undefined && !b.target.external && b.target.workspacePath === b.workspacePath;
    if (ownExport) objects.set(objectKey({ type: 'workspace', path: b.workspacePath }, 'apis.kcp.io', 'APIBinding', b.name), 1);
    const served = ownExport ? 2 : 1;
    for (const r of b.target?.resources ?? []) add({ type: 'workspace', path: b.workspacePath }, r.group, r.kind, { stage: served, createdBy: `APIBinding ${b.name}` });
  }
  for (const kb of kubeBindBindings) {
    const cluster: Target = { type: 'cluster', name: kb.cluster };
    // kube-bind v0.8.1 pkg/konnector/server.go: the konnector creates these CRDs itself when it starts.
    for (const kind of ['APIServiceBinding', 'APIServiceBindingBundle']) add(cluster, 'kube-bind.io', kind, { stage: 1, createdBy: 'the konnector, when it starts' });
    // servicebinding_reconcile.go: the konnector creates the bound CRDs from the BoundSchemas once connected.
    for (const r of kb.target?.resources ?? []) add(cluster, r.group, r.kind, { stage: 2, createdBy: `kube-bind binding ${kb.name}` });
  }
  const graphs = new Map<string, number>();
  for (const g of kroGraphs) {
    const here = kinds.get(folderOf({ type: 'cluster', name: g.cluster }));
    let stage = 0;
    for (const r of g.resources) {
      const k = templateKind(r);
      if (k) stage = Math.max(stage, here?.get(kindKey(k.group, k.kind))?.stage ?? 0);
    }
    graphs.set(`${g.cluster}/${g.name}`, stage);
    objects.set(objectKey({ type: 'cluster', name: g.cluster }, 'kro.run', 'ResourceGraphDefinition', g.name), stage);
    // kro creates the graph's CRD once the graph is accepted (kubernetes-sigs/kro v0.9.3).
    add({ type: 'cluster', name: g.cluster }, g.schema.group, g.schema.kind, { stage: stage + 1, createdBy: `kro, from graph ${g.name}` });
  }
  // kube-bind v0.8.1 reads the template's CRD when a consumer asks for it: the template follows the graph's kind.
  for (const o of offered) {
    const g = o.api.graph;
    const stage = g ? graphs.get(`${g.cluster}/${g.name}`) : undefined;
    if (g && stage !== undefined) objects.set(objectKey({ type: 'cluster', name: g.cluster }, 'kube-bind.io', 'APIServiceExportTemplate', o.name), stage + 1);
  }
  return { kinds, objects };
}

/** The stage an object belongs to in its folder: 0 unless its kind, or a kind it uses, exists only later. */
export function stageOf(stages: Stages, target: Target, object: KubeObject): number {
  if (target.type === 'gitops') return 0;
  const group = groupOf(object.apiVersion);
  const own = stages.objects.get(objectKey(target, group, object.kind, object.metadata.name));
  if (own !== undefined) return own;
  return stages.kinds.get(folderOf(target))?.get(kindKey(group, object.kind))?.stage ?? 0;
}
