import type { Mesh } from '../constructs/mesh.js';
import { composeMesh } from './compose/from-constructs.js';
import { applyMetadata } from './emit/metadata.js';
import { invalidPropsOf } from './compose/props.js';
import { resolveMesh, type ResolvedMesh } from './resolve/resolve.js';
import { checkMesh } from './check/check.js';
import { rejectedDependencies } from './check/warnings.js';
import { emitMesh } from './emit/emit.js';
import { emitGitOps } from './emit/gitops.js';
import { meshDocument } from './review/picture.js';
import type { Manifest } from './emit/manifest.js';
import { layoutManifests, manifestFile, type Layout } from './output/layout.js';
import { renderKustomization, renderManifest, renderObject } from './output/render.js';
import { startValidation } from './validate/validate.js';
import { checkContracts } from './validate/contracts.js';
import { checkKroTemplates } from './validate/kro-templates.js';
import { SchemaCatalog } from './validate/schema-catalog.js';
import { VerdictCache } from './validate/verdicts.js';
import { diagnostic, MeshError, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { writeOutput, type WriteResult } from './output/write.js';
import type { GitOpsEngine, KubeObject, MeshModel, Target } from './model/mesh.js';
import { applyTargets, folderOf } from './model/target.js';
import { stageOf } from './resolve/stages.js';
import { meshDataKinds, protect } from './emit/protection.js';
import { prerequisites, type Prerequisite } from './emit/prerequisites.js';
import { computeApplyOrder } from './resolve/apply-order.js';
import { keptLedger, reviewUpdate, type Departure } from './review/departures.js';
import { contractChanges, describeContractChange, unintended } from './review/contracts.js';
import { append } from './model/collections.js';

export interface CompileOptions {
  /** Schemas to validate against. @default the bundled schemas/ */
  readonly catalog?: SchemaCatalog;
  /** GitOps engines to emit, overriding the mesh's settings. @default the mesh's */
  readonly gitopsEngines?: readonly GitOpsEngine[];
  /** Folder of the output in the Git repository, used when the mesh does not set gitops.path. */
  readonly gitopsPath?: string;
  /** The output work tree's `origin` remote: the repoURL when the mesh names none. */
  readonly repoURL?: string;
  /** Told what the compiler is doing, for progress on long synths. @default silent */
  readonly progress?: (message: string) => void;
  /** Verdicts of earlier synths: objects found valid then are not validated again. @default none */
  readonly verdicts?: VerdictCache;
  /** Threads that validate (1 or 2; the output is the same). @default P2C_WORKERS, else 1 (see validate/parallel.ts) */
  readonly workers?: number;
}

export interface Compilation {
  readonly mesh: ResolvedMesh;
  readonly manifests: readonly Manifest[];
  readonly layout: Layout;
  /** Relative path → file content, for every file p2c writes. */
  readonly files: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
  /** Numbered steps p2c cannot declare, with their commands (also in MESH.md). */
  readonly prerequisites: readonly Prerequisite[];
  /** Findings that do not stop the synth (severity warning). */
  readonly warnings: readonly Diagnostic[];
}

let defaultCatalog: SchemaCatalog | undefined;

function targetsOf(model: MeshModel): Target[] {
  const engines = model.gitops.engines;
  return [...applyTargets(model), ...engines.map((engine): Target => ({ type: 'gitops', engine }))];
}

/** Runs the model through check, emit, layout and validation. Never throws for a bad mesh. */
export function compileModel(model: MeshModel, earlier: readonly Diagnostic[] = [], options: CompileOptions = {}): Compilation {
  const say = options.progress ?? (() => undefined);
  const catalog = options.catalog ?? (defaultCatalog ??= SchemaCatalog.fromDirectory());
  if (options.gitopsEngines) model = { ...model, gitops: { ...model.gitops, engines: [...new Set(options.gitopsEngines)].sort() } };
  say(`checking ${model.teams.length} teams, ${model.exports.length} exports, ${model.bindings.length} bindings`);
  let mesh = resolveMesh(model);
  const diagnostics: Diagnostic[] = [...earlier, ...checkMesh(mesh)];
  say('emitting');
  const placed = placeInStages(mesh, protect(emitMesh(mesh), mesh));
  mesh = placed.mesh;
  const extra = applyMetadata([...placed.manifests, ...emitGitOps(mesh, placed.manifests)], mesh);
  const manifests = extra.manifests;
  append(diagnostics, extra.diagnostics);
  const steps = prerequisites(mesh);
  // One-shot objects a prerequisite applies are validated like the rest, though no GitOps folder holds them.
  const oneShot: Manifest[] = steps.flatMap(({ file }) => (file ? file.objects.map((object) => ({ target: file.target, object, origin: { path: file.path } })) : []));
  // Validation starts first: with two threads, a worker validates while this one renders.
  const validation = startValidation([...manifests, ...oneShot], catalog, { ...(options.verdicts ? { verdicts: options.verdicts } : {}), ...(options.workers ? { workers: options.workers } : {}) });
  say(`rendering ${manifests.length} objects`);
  const layout = layoutManifests(manifests, [...targetsOf(model), ...mesh.staged], renderObject);
  for (const c of layout.collisions) {
    diagnostics.push(diagnostic('outputCollision', c.other.origin, `${c.other.object.kind} '${c.other.object.metadata.name}' in ${c.placed.folder} is also emitted, differently, by ${c.placed.origins[0]?.path}`, 'give one of them another name'));
  }
  // Files are made while validation may still run on another thread; a folder whose objects all kept their verdicts,
  // and whose file is still what p2c wrote from them, is taken as it is, not rendered again.
  const files = new Map<string, string>();
  const rendered: Array<[file: string, objects: KubeObject[], text: string]> = [];
  for (const [folder, placed] of layout.folders) {
    if (placed.length) {
      const file = `${folder}/${manifestFile}`;
      const objects = placed.map((p) => p.object);
      const before = options.verdicts?.writtenBefore(file, objects);
      const text = before ?? renderManifest(placed.map((p) => p.text));
      if (before === undefined) rendered.push([file, objects, text]);
      files.set(file, text);
    }
    files.set(`${folder}/kustomization.yaml`, renderKustomization(placed.length ? [manifestFile] : []));
  }
  say(`validating ${manifests.length + oneShot.length} objects against their schemas`);
  append(diagnostics, validation.finish());
  append(diagnostics, checkContracts(manifests, mesh, catalog));
  append(diagnostics, checkKroTemplates(mesh, catalog));
  // Once every object has its verdict: what the next synth may take without rendering.
  if (diagnostics.length === 0) for (const [file, objects, text] of rendered) options.verdicts?.wrote(file, objects, text);
  for (const p of steps) if (p.file) files.set(p.file.path, renderManifest(p.file.objects.map(renderObject)));
  files.set('MESH.md', meshDocument(mesh, steps));
  return { mesh, manifests, layout, files, diagnostics: dedupe(sortDiagnostics(diagnostics)), prerequisites: steps, warnings: sortDiagnostics(rejectedDependencies(mesh)) };
}

/** Moves objects whose kinds exist only at runtime into their stage folders, and orders those folders. */
function placeInStages(mesh: ResolvedMesh, emitted: Manifest[]): { mesh: ResolvedMesh; manifests: Manifest[] } {
  const staged = new Map<string, Target>();
  const manifests = emitted.map((m) => {
    const stage = stageOf(mesh.stages, m.target, m.object);
    if (!stage || m.target.type === 'gitops') return m;
    const target: Target = { ...m.target, stage };
    staged.set(folderOf(target), target);
    return { ...m, target };
  });
  if (staged.size === 0) return { mesh, manifests };
  const list = [...staged.values()];
  return { mesh: { ...mesh, staged: list, applyOrder: computeApplyOrder(mesh, list) }, manifests };
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = JSON.stringify(d);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Compiles a declared mesh: constructs → model → checks → emitters → validation. */
function withOptions(mesh: Mesh, model: MeshModel, options: CompileOptions): MeshModel {
  const path = options.gitopsPath !== undefined && mesh.gitops.path === undefined ? { path: options.gitopsPath } : {};
  const repoURL = options.repoURL !== undefined && mesh.gitops.repoURL === undefined ? { repoURL: options.repoURL } : {};
  return { ...model, gitops: { ...model.gitops, ...path, ...repoURL } };
}

/** Throws MeshError when props failed their run-time check (compose would read them as their types say). */
export function compile(mesh: Mesh, options: CompileOptions = {}): Compilation {
  options.progress?.('reading the mesh');
  const invalid = invalidPropsOf(mesh);
  if (invalid.length) throw new MeshError(invalid);
  const composed = composeMesh(mesh);
  return compileModel(withOptions(mesh, composed.model, options), composed.diagnostics, options);
}

export interface SynthOptions extends CompileOptions {
  readonly outdir: string;
  /** Write into a non-empty folder p2c has no record of, and over files it did not write. @default false */
  readonly force?: boolean;
  /** Told once when another synth is writing the same folder and this one waits for it. @default silent */
  readonly onWait?: (holder: string) => void;
  /** Runs after writing, still holding the output folder's lock (the CLI's --commit). @default nothing */
  readonly afterWrite?: (compilation: Compilation, write: WriteResult) => void;
  /**
   * Keep verdicts in the output's .p2c/verdicts, so the next synth validates only objects that changed; false
   * validates every object and leaves the verdicts as they are. @default true
   */
  readonly cache?: boolean;
}

export interface SynthResult {
  readonly compilation: Compilation;
  readonly write: WriteResult;
  /** Data-holding objects that left the output, and what GitOps does about each. */
  readonly departures: readonly Departure[];
}

/** Contract changes against the previous output that break consumers and are not marked intended, at their export. */
function breakingContracts(compilation: Compilation, previous: ReadonlyMap<string, string>): Diagnostic[] {
  const changes = unintended(contractChanges(new Map(previous), new Map(compilation.files)));
  if (changes.length === 0) return [];
  // Each API (`plural.group`, as kcp serves it or as the service cluster has it) → its export, once.
  const exportOf = new Map<string, (typeof compilation.mesh.exports)[number]>();
  for (const e of compilation.mesh.exports) for (const r of [...e.resources, ...(e.syncAgent?.sources ?? [])]) if (!exportOf.has(`${r.plural}.${r.group}`)) exportOf.set(`${r.plural}.${r.group}`, e);
  return changes.map((c) => {
    const served = exportOf.get(c.api);
    const hint = `if consumers are ready for it, say so on the provided API: breakingChange: '<why>' (remove it after this change is merged)`;
    return diagnostic('breakingContract', served?.origin, describeContractChange(c), hint);
  });
}

/** Compiles and writes; on any problem throws MeshError and writes nothing. */
export async function synth(mesh: Mesh, options: SynthOptions): Promise<SynthResult> {
  const catalog = options.catalog ?? (defaultCatalog ??= SchemaCatalog.fromDirectory());
  const verdicts = options.verdicts ?? (options.cache === false ? undefined : VerdictCache.open(options.outdir, catalog));
  const compilation = compile(mesh, { ...options, catalog, ...(verdicts ? { verdicts } : {}) });
  if (compilation.diagnostics.length > 0) throw new MeshError(compilation.diagnostics);
  options.progress?.(`writing ${compilation.files.size} files`);
  let departures: readonly Departure[] = [];
  let written = compilation;
  // Compared with the previous output under the folder's lock: what leaves it, and what may not change.
  const vet = (previous: ReadonlyMap<string, string>, read: (rel: string) => string | undefined) => {
    const review = reviewUpdate(previous, compilation.layout, catalog, [...meshDataKinds(compilation.mesh)], read(keptLedger));
    const broken = breakingContracts(compilation, previous);
    if (review.diagnostics.length > 0 || broken.length > 0) throw new MeshError(sortDiagnostics([...review.diagnostics, ...broken]));
    departures = review.departures;
    if (review.ledger === undefined) return undefined;
    const extra = new Map([[keptLedger, review.ledger]]);
    written = { ...compilation, files: new Map([...compilation.files, ...extra]) };
    return extra;
  };
  // Under the lock, once the output is written: the verdicts of what it holds.
  const afterWrite = (w: WriteResult) => {
    verdicts?.save(options.outdir);
    options.afterWrite?.(written, w);
  };
  const write = writeOutput(options.outdir, compilation.files, { force: options.force ?? false, vet, ...(options.onWait ? { onWait: options.onWait } : {}), afterWrite });
  return { compilation, write, departures };
}
