import type { Mesh } from '../constructs/mesh.js';
import { composeMesh } from './compose/from-constructs.js';
import { resolveMesh, type ResolvedMesh } from './resolve/resolve.js';
import { checkMesh } from './check/check.js';
import { emitMesh } from './emit/emit.js';
import { emitGitOps } from './emit/gitops.js';
import { meshDocument } from './review/picture.js';
import type { Manifest } from './emit/manifest.js';
import { layoutManifests, manifestFile, type Layout } from './output/layout.js';
import { renderKustomization, renderManifest, renderObject } from './output/render.js';
import { validateManifests } from './validate/validate.js';
import { SchemaCatalog } from './validate/schema-catalog.js';
import { diagnostic, MeshError, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { writeOutput, type WriteResult } from './output/write.js';
import type { GitOpsEngine, MeshModel, Target } from './model/mesh.js';
import { applyTargets } from './model/target.js';

export interface CompileOptions {
  /** Schemas to validate against. @default the bundled schemas/ */
  readonly catalog?: SchemaCatalog;
  /** GitOps engines to emit, overriding the mesh's settings. @default the mesh's */
  readonly gitopsEngines?: readonly GitOpsEngine[];
  /** Folder of the output in the Git repository, used when the mesh does not set gitops.path. */
  readonly gitopsPath?: string;
  /** Told what the compiler is doing, for progress on long synths. @default silent */
  readonly progress?: (message: string) => void;
}

export interface Compilation {
  readonly mesh: ResolvedMesh;
  readonly manifests: readonly Manifest[];
  readonly layout: Layout;
  /** Relative path → file content, for every file p2c writes. */
  readonly files: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
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
  const mesh = resolveMesh(model);
  const diagnostics: Diagnostic[] = [...earlier, ...checkMesh(mesh)];
  say('emitting');
  const manifests = emitMesh(mesh);
  manifests.push(...emitGitOps(mesh, manifests));
  say(`rendering ${manifests.length} objects`);
  const layout = layoutManifests(manifests, targetsOf(model), renderObject);
  for (const c of layout.collisions) {
    diagnostics.push(diagnostic('outputCollision', c.other.origin, `${c.other.object.kind} '${c.other.object.metadata.name}' in ${c.placed.folder} is also emitted, differently, by ${c.placed.origins[0]?.path}`, 'give one of them another name'));
  }
  say(`validating ${manifests.length} objects against their schemas`);
  diagnostics.push(...validateManifests(manifests, catalog));
  const files = new Map<string, string>();
  for (const [folder, placed] of layout.folders) {
    if (placed.length) files.set(`${folder}/${manifestFile}`, renderManifest(placed.map((p) => p.text)));
    files.set(`${folder}/kustomization.yaml`, renderKustomization(placed.length ? [manifestFile] : []));
  }
  files.set('MESH.md', meshDocument(mesh));
  return { mesh, manifests, layout, files, diagnostics: dedupe(sortDiagnostics(diagnostics)) };
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
  return options.gitopsPath !== undefined && mesh.gitops.path === undefined ? { ...model, gitops: { ...model.gitops, path: options.gitopsPath } } : model;
}

export function compile(mesh: Mesh, options: CompileOptions = {}): Compilation {
  options.progress?.('reading the mesh');
  const composed = composeMesh(mesh);
  return compileModel(withOptions(mesh, composed.model, options), composed.diagnostics, options);
}

export interface SynthOptions extends CompileOptions {
  readonly outdir: string;
  /** Write into a non-empty folder p2c has no record of. @default false */
  readonly force?: boolean;
}

export interface SynthResult {
  readonly compilation: Compilation;
  readonly write: WriteResult;
}

/** Compiles and writes; on any problem throws MeshError and writes nothing. */
export async function synth(mesh: Mesh, options: SynthOptions): Promise<SynthResult> {
  const compilation = compile(mesh, options);
  if (compilation.diagnostics.length > 0) throw new MeshError(compilation.diagnostics);
  options.progress?.(`writing ${compilation.files.size} files`);
  return { compilation, write: writeOutput(options.outdir, compilation.files, { force: options.force ?? false }) };
}
