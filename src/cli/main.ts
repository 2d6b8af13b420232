import { packageVersion } from '../package-info.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { contains, loadMesh, projectConfigText, readProjectConfig, type ProjectConfig } from './entry.js';
import { initProject, InitError, type ModuleSystem } from './init.js';
import { compile, synth, type Compilation } from '../pipeline.js';
import { formatDiagnostic, MeshError, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { OutputError, recoverOutput, type WriteResult } from '../output/write.js';
import { accessData, accessReport, summarize } from './summary.js';
import { workTreeOf } from './work-tree.js';
import { codeowners, codeownersHeader } from '../review/codeowners.js';

import { cacheOf, isTypeScript, unchangedSinceClean } from './type-check-cache.js';
import { importCrdDirectory, importInstallableCrds, writeSchemaDirectory } from '../crd-import/import.js';
import { allChecks } from '../diagnostics/codes.js';
import { commitOutput, CommitError } from '../review/commit.js';
import { formatJson, formatMarkdown, formatText, reviewBetween } from '../review/report.js';
import { unintended } from '../review/contracts.js';
import { checkSides, readSide } from '../review/tree.js';
import { formatDepartures } from '../review/departures.js';
import type { GitOpsEngine } from '../model/mesh.js';

function fail(diagnostics: readonly Diagnostic[]): never {
  for (const d of diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  process.stderr.write(`p2c: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}; nothing was written\n`);
  process.exit(1);
}

function entryOf(entry: string | undefined): string {
  const chosen = entry ?? readProjectConfig().app;
  if (!chosen) {
    process.stderr.write('p2c: no mesh program given and cdk8s.yaml names no `app`; run `p2c synth path/to/mesh.ts`\n');
    process.exit(2);
  }
  return chosen;
}

/** Type-checks the mesh program (unless told not to), then runs it and returns its Mesh. */
async function loadChecked(file: string, typeCheck: boolean, say: (message: string) => void = () => undefined) {
  // A missing program is loadMesh's to report (P2C019), not the compiler's.
  if (typeCheck && isTypeScript(file) && fs.existsSync(file)) {
    say(`type-checking ${file}`);
    // The TypeScript compiler takes half a second to load: not at all when nothing changed since a clean check.
    const absolute = path.resolve(file);
    const problems = unchangedSinceClean(cacheOf(absolute), absolute) ? [] : (await import('./type-check.js')).typeCheckProgram(file);
    if (problems.length) throw new MeshError(sortDiagnostics(problems));
  }
  say(`running ${file}`);
  return loadMesh(file);
}

const typeCheckOption = ['--no-type-check', 'run the mesh program without type-checking it first (TypeScript programs are checked as `tsc --noEmit` would, with their tsconfig.json)'] as const;

/** Runs a mesh program and compiles it; every problem becomes a MeshError. */
async function compileEntry(entry: string | undefined, typeCheck: boolean) {
  const config = readProjectConfig();
  const compilation = compile(await loadChecked(entryOf(entry), typeCheck), deliveryOf(config.output ?? 'dist', config));
  if (compilation.diagnostics.length > 0) throw new MeshError(compilation.diagnostics);
  return compilation;
}

async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof MeshError) fail(e.diagnostics);
    if (e instanceof CommitError || e instanceof InitError) {
      process.stderr.write(`p2c: ${e.message}\n`);
      process.exit(1);
    }
    if (e instanceof OutputError) {
      process.stderr.write(`p2c: error P2C021 unsafe-output: ${e.message}\n`);
      process.exit(1);
    }
    // Never a stack trace for the user: a system error (a full disk, a permission) in one line; anything else
    // is p2c's fault, with the stack behind P2C_DEBUG.
    const err = e as NodeJS.ErrnoException;
    if (process.env['P2C_DEBUG']) process.stderr.write(`${err?.stack ?? String(e)}\n`);
    if (typeof err?.code === 'string' && typeof err.syscall === 'string') process.stderr.write(`p2c: ${err.message}\n`);
    else process.stderr.write(`p2c: internal error: ${err?.message ?? String(e)} (set P2C_DEBUG=1 for details, and please report it)\n`);
    process.exit(1);
  }
}

// `p2c graph | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command('p2c')
  .description('Compile a Platform Mesh provider-to-consumer mesh, written as cdk8s constructs in TypeScript, into the manifests every kcp workspace and compute cluster needs.')
  .version(packageVersion, '-V, --version', 'print the p2c version')
  .showHelpAfterError('(run p2c --help for usage)')
  .addHelpText('after', `
Examples:
  p2c init my-platform                          a new repository with a working mesh
  p2c synth examples/idp/mesh.ts --out dist     compile the example mesh into dist/
  p2c validate examples/idp/mesh.ts             check it; print who may bind what
  p2c diff main:dist dist --format markdown     what a pull request changes
  p2c checks                                    every error code

Docs: README.md. Exit codes: 0 ok, 1 problems in the mesh (nothing written), 2 usage.`)
  // Usage errors exit 2, so scripts can tell them from problems in the mesh (1).
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program
  .command('init')
  .description('Scaffold a platform repository, as cdk8s init does: package.json, tsconfig.json, mesh.ts with a small working mesh (a provider team publishes Postgres, a consumer binds it), its CRD, cdk8s.yaml, .gitignore and a GitHub Actions workflow.')
  .argument('[dir]', 'folder to create or fill; default: the current folder')
  .addOption(new Option('--module <system>', 'module system of the package: esm ("type": "module") or commonjs').choices(['esm', 'commonjs']).default('esm'))
  .addHelpText('after', `
Then:
  npm install        (p2c, cdk8s, constructs)
  npx p2c synth      type-check, check and write dist/
Writes nothing if any of its files already exists.`)
  .action(async (dir: string | undefined, opts: { module: ModuleSystem }) => {
    await run(async () => {
      const target = dir ?? '.';
      const written = initProject(target, opts.module);
      process.stdout.write(`${written.map((f) => `  ${f}`).join('\n')}\nwrote a p2c project in ${target}; next: ${dir ? `cd ${dir} && ` : ''}npm install && npx p2c synth\n`);
    });
  });

program
  .command('synth')
  .description('Run a mesh program, check the whole mesh, validate every object against the upstream schemas, and write the output folder. Writes nothing if anything is wrong.')
  .argument('[entry]', 'mesh program (.ts or .js) that declares one Mesh; default: `app` in cdk8s.yaml')
  .option('-o, --out <dir>', 'output folder; default: `output` in cdk8s.yaml, else dist')
  .option('--force', 'write into a non-empty folder p2c has no record of writing, and over files it did not write', false)
  .option('--gitops <engines>', 'GitOps apps to emit: argocd, flux, both (argocd,flux) or none; default: the mesh\'s gitops.engines, else argocd')
  .option('--commit', 'commit what changed in the output (the folder must be inside a Git work tree); no commit when nothing changed', false)
  .option('-q, --quiet', 'print nothing on success', false)
  .option('--no-cache', 'validate every object again, ignoring the verdicts earlier synths kept in .p2c/verdicts')
  .option(...typeCheckOption)
  .addHelpText('after', `
Output layout:
  kcp/<workspace path segments>/   objects applied inside that kcp workspace
  clusters/<cluster name>/         objects applied to that compute cluster
  gitops/argocd/, gitops/flux/     one app per folder above, in dependency order
  MESH.md                          picture, inventory and apply order of the mesh
Each folder holds manifest.yaml (its objects, one document each) and kustomization.yaml.
Files p2c wrote earlier and no longer produces are removed, unless edited since
(those are kept and listed); files it did not write are never overwritten or removed
(without --force); unchanged files are not rewritten. One synth writes a folder at a
time (.p2c/lock); a killed synth is rolled back by the next one. Symbolic links inside
the output folder are refused, never followed.
Objects found valid are remembered in .p2c/verdicts, signed with a key only you
can read (in ~/.cache/p2c), so the next synth validates only objects that changed;
verdicts from anyone else (a commit, another user) match nothing.

Examples:
  p2c synth examples/idp/mesh.ts --out dist
  p2c synth                          # uses app and output from cdk8s.yaml`)
  .action(async (entry: string | undefined, opts: { out?: string; force: boolean; quiet: boolean; gitops?: string; commit: boolean; typeCheck: boolean; cache: boolean }) => {
    await run(async () => {
      const file = entryOf(entry);
      const config = readProjectConfig();
      const outdir = opts.out ?? config.output ?? 'dist';
      const underCdk8s = process.env['CDK8S_OUTDIR'];
      if (underCdk8s && contains(path.resolve(underCdk8s), path.resolve(outdir))) {
        throw new CommitError(`cdk8s synth deleted ${underCdk8s}/ before it ran p2c, and p2c's output ${outdir}/ is in it: nothing written. Restore it (git checkout -- ${outdir}), put p2c's settings under \`p2c:\` in cdk8s.yaml so cdk8s's \`output\` is a folder of its own (README: cdk8s.yaml), and run p2c synth`);
      }
      if (config.cdk8sDanger && !underCdk8s) {
        process.stderr.write(`p2c: warning: cdk8s.yaml: ${config.cdk8sDanger}; put p2c's settings under \`p2c:\` and give cdk8s an \`output\` of its own:\n${projectConfigText(config.app ?? 'mesh.ts', config.output ?? 'dist').replace(/^/gm, '    ')}`);
      }
      const gitopsEngines = parseEngines(opts.gitops);
      // A synth killed mid-swap left a journal: put the previous output back before anything else.
      const onWait = (holder: string) => process.stderr.write(`p2c: waiting for another synth (${holder}) writing ${outdir}\n`);
      if (recoverOutput(outdir, { onWait })) process.stderr.write(`p2c: restored ${outdir} from an interrupted synth\n`);
      const progress = terminalProgress(opts.quiet);
      const mesh = await loadChecked(file, opts.typeCheck, progress.say);
      const delivery = deliveryOf(outdir, config);
      let commit: string | undefined;
      // The commit happens under the folder's lock: two synths never interleave their writes and commits.
      const afterWrite = opts.commit ? (c: Compilation, w: WriteResult) => { commit = commitOutput(outdir, c.mesh.name, w, c.files); } : undefined;
      let compilation, result, departures;
      try {
        ({ compilation, write: result, departures } = await synth(mesh, { outdir, force: opts.force, cache: opts.cache, onWait, ...(afterWrite ? { afterWrite } : {}), ...(gitopsEngines ? { gitopsEngines } : {}), ...delivery, progress: progress.say }));
      } finally {
        progress.done();
      }
      if (!opts.quiet) process.stdout.write(summarize(compilation, result, outdir) + '\n');
      for (const w of compilation.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
      const writtenTo = workTreeOf(outdir)?.outputPath;
      const readFrom = compilation.mesh.gitops.path;
      if (compilation.mesh.gitops.engines.length && writtenTo !== undefined && writtenTo !== readFrom) {
        process.stderr.write(`p2c: warning: the GitOps apps read ${readFrom}/ of the repository, but this output went to ${writtenTo}/; if it lives there, set gitops: { path: '${writtenTo}' } in the Mesh (or output under p2c: in cdk8s.yaml)\n`);
      }
      // Always said, even with --quiet: a protected object leaving the output is never silent.
      if (departures.length) process.stderr.write(`p2c: ${departures.length} data-holding object${departures.length === 1 ? '' : 's'} left the output:\n${formatDepartures(departures).map((l) => `  ${l}`).join('\n')}\n`);
      if (opts.commit && !opts.quiet) process.stdout.write(commit ? `committed ${commit.slice(0, 12)}\n` : 'nothing changed: no commit\n');
      // cdk8s synth fails unless the app made its output folder; p2c's own output is elsewhere, so it stays empty.
      if (underCdk8s) {
        fs.mkdirSync(underCdk8s, { recursive: true });
        if (!opts.quiet) process.stderr.write(`p2c: wrote ${outdir}/ for cdk8s synth (its ${underCdk8s}/ stays empty: p2c keeps an output folder of its own)\n`);
      }
    });
  });

/**
 * What the GitOps apps point at, from the repository and never from where --out happens to point (a CI check that
 * synthesizes into a temporary folder must produce the same apps): the folder is `output` in cdk8s.yaml unless the
 * mesh sets gitops.path; the repository is the `origin` of the work tree the output goes to (else the one synth runs in), unless the mesh
 * sets one.
 */
function deliveryOf(outdir: string, config: ProjectConfig = readProjectConfig()): { gitopsPath?: string; repoURL?: string } {
  // An output outside any work tree (a CI check into a temporary folder) belongs to the repository synth runs in.
  const origin = (workTreeOf(outdir) ?? workTreeOf('.'))?.origin;
  return { ...(config.output !== undefined ? { gitopsPath: config.output.replace(/^\.?\/+|\/+$/g, '') } : {}), ...(origin ? { repoURL: origin } : {}) };
}

/** One status line on a terminal, rewritten in place; nothing when output is piped or --quiet. */
function terminalProgress(quiet: boolean): { say: (message: string) => void; done: () => void } {
  if (quiet || !process.stderr.isTTY) return { say: () => undefined, done: () => undefined };
  const start = Date.now();
  return {
    say: (message) => process.stderr.write(`\r\x1b[2Kp2c: ${message} (${((Date.now() - start) / 1000).toFixed(1)}s)`),
    done: () => process.stderr.write('\r\x1b[2K'),
  };
}

function parseEngines(value: string | undefined): GitOpsEngine[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 1 && parts[0] === 'none') return [];
  const bad = parts.filter((p) => p !== 'argocd' && p !== 'flux');
  if (bad.length || parts.length === 0) {
    process.stderr.write(`p2c: --gitops takes argocd, flux, argocd,flux or none (got '${value}')\n`);
    process.exit(2);
  }
  return parts as GitOpsEngine[];
}

program
  .command('validate')
  .description('Run a mesh program and every check and schema validation, without writing. Prints who may bind each export, which claims each consumer accepted, and the numbered prerequisites p2c cannot declare.')
  .argument('[entry]', 'mesh program; default: `app` in cdk8s.yaml')
  .option(...typeCheckOption)
  .addOption(new Option('--format <format>', 'text, or json for CI tools (findings included; exit code as with text)').choices(['text', 'json']).default('text'))
  .action(async (entry: string | undefined, opts: { typeCheck: boolean; format: 'text' | 'json' }) => {
    if (opts.format === 'json') {
      // Every outcome is one JSON document on stdout: the findings of a bad mesh as much as a good mesh's report.
      const json = (value: unknown, code: number): never => {
        process.stdout.write(JSON.stringify(value, null, 2) + '\n');
        process.exit(code);
      };
      try {
        const c = await compileEntry(entry, opts.typeCheck);
        json({ valid: true, objects: c.manifests.length, warnings: c.warnings, access: accessData(c), prerequisites: c.prerequisites.map(({ file, ...p }) => ({ ...p, ...(file ? { file: file.path } : {}) })) }, 0);
      } catch (e) {
        if (e instanceof MeshError) json({ valid: false, problems: e.diagnostics }, 1);
        throw e;
      }
    }
    await run(async () => {
      const compilation = await compileEntry(entry, opts.typeCheck);
      for (const w of compilation.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
      const steps = compilation.prerequisites.map((p, i) => `${i + 1}. ${p.title}: ${p.why}.\n${p.command.split('\n').map((l) => `     ${l}`).join('\n')}`);
      const before = steps.length ? `\nprerequisites p2c cannot declare (do these once, in order):\n${steps.join('\n')}\n` : '';
      process.stdout.write(`${summarize(compilation)}\n${accessReport(compilation)}${before}\nvalid: ${compilation.manifests.length} objects checked\n`);
    });
  });

program
  .command('diff')
  .description('Compare two outputs object by object, grouped by workspace and cluster: added, removed, and changed objects with each changed field and both values.')
  .argument('<base>', 'output folder, Git revision (reads --path at it), or <revision>:<folder>')
  .argument('<head>', 'output folder, Git revision, or <revision>:<folder>')
  .option('--path <folder>', 'output folder inside the repository, for revisions; default: `output` in cdk8s.yaml, else dist')
  .addOption(new Option('--format <format>', 'output format; markdown is what a CI job posts on a pull request').choices(['text', 'markdown', 'json']).default('text'))
  .option('--exit-code', 'exit 1 when there are changes (like git diff --exit-code), 3 when a provided API changes in a way that breaks its consumers and the provider did not mark it intended', false)
  .addHelpText('after', `
Examples:
  p2c diff main dist --format markdown        committed output on main vs. a fresh synth
  p2c diff origin/main:deploy HEAD:deploy
  p2c diff old-dist new-dist --exit-code`)
  .action((base: string, head: string, opts: { path?: string; format: 'text' | 'markdown' | 'json'; exitCode: boolean }) => {
    const folder = opts.path ?? readProjectConfig().output ?? 'dist';
    let review;
    try {
      const sides = [readSide(base, folder), readSide(head, folder)];
      checkSides(sides);
      review = reviewBetween(sides[0]!.tree, sides[1]!.tree);
    } catch (e) {
      process.stderr.write(`p2c: ${(e as Error).message}\n`);
      process.exit(2);
    }
    process.stdout.write(opts.format === 'json' ? formatJson(review) : opts.format === 'markdown' ? formatMarkdown(review) : formatText(review));
    if (opts.exitCode && unintended(review.contracts).length > 0) process.exit(3);
    if (opts.exitCode && review.diff.folders.length > 0) process.exit(1);
  });

program
  .command('graph')
  .description('Print MESH.md for a mesh program: a mermaid picture of workspaces, clusters and what flows between them, an inventory (who provides, may bind and binds each API) and the apply order.')
  .argument('[entry]', 'mesh program; default: `app` in cdk8s.yaml')
  .option(...typeCheckOption)
  .action(async (entry: string | undefined, opts: { typeCheck: boolean }) => {
    await run(async () => {
      process.stdout.write((await compileEntry(entry, opts.typeCheck)).files.get('MESH.md')!);
    });
  });

program
  .command('import-crds')
  .description('Generate, from upstream CRD files, the JSON schemas p2c validates with (structure and CEL rules, no descriptions) and the CRDs p2c installs in place of upstream charts (schemas/crds/).')
  .argument('<dir>', 'folder of CustomResourceDefinition YAML files, searched recursively')
  .addOption(new Option('-o, --out <dir>', 'schema folder to (re)write').default('schemas'))
  .action(async (dir: string, opts: { out: string }) => {
    await run(async () => {
      const crds = importInstallableCrds(dir);
      const n = writeSchemaDirectory(importCrdDirectory(dir), opts.out, crds);
      process.stdout.write(`wrote ${n} schemas and ${crds.size} installable CRDs to ${opts.out}\n`);
    });
  });

program
  .command('types')
  .description('Generate typed cdk8s construct classes from CRD files (one class per kind and served version, props typed from the schema, docs from its descriptions), so instances of a provided API are checked by the TypeScript compiler as you write them.')
  .argument('<crd...>', 'CRD YAML files (a file may hold several CRDs)')
  .requiredOption('-o, --out <file>', 'TypeScript file to write; name it *.p2c.ts so findings point at your line, not the generated one')
  .addHelpText('after', `
Example:
  p2c types crds/postgres.yaml --out types/postgres.p2c.ts
  import { Postgres } from './types/postgres.p2c.ts';
  new Postgres(webshop.workspace!, 'orders', { metadata: { name: 'orders', namespace: 'shop' }, spec: { version: '16', storage: '20Gi' } });

Run it again whenever the CRD changes; the output is deterministic, so CI can check it is up to date.`)
  .action(async (files: string[], opts: { out: string }) => {
    await run(async () => {
      const { generateTypes } = await import('../typegen/generate.js');
      const { parseAllDocuments } = await import('yaml');
      const crds = files.flatMap((f) => parseAllDocuments(fs.readFileSync(f, 'utf8')).map((d) => d.toJS()).filter((d) => d?.kind === 'CustomResourceDefinition'));
      if (crds.length === 0) throw new CommitError(`types: no CustomResourceDefinition in ${files.join(', ')}`);
      const source = files.map((f) => path.relative(path.dirname(path.resolve(opts.out)), path.resolve(f)).split(path.sep).join('/')).join(', ');
      fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      fs.writeFileSync(opts.out, generateTypes(crds, source));
      process.stdout.write(`wrote ${opts.out}: ${crds.length} CRD${crds.length === 1 ? '' : 's'}\n`);
    });
  });

program
  .command('owners')
  .description('Print (or write, or check) a CODEOWNERS file, in the syntax GitHub and GitLab share, from the owners the mesh declares: each team\'s output folders and mesh files to the team\'s owners, everything else to the platform\'s (Mesh owners).')
  .argument('[entry]', 'mesh program; default: `app` in cdk8s.yaml')
  .option('--write <file>', 'write it there (CODEOWNERS, .github/CODEOWNERS or .gitlab/CODEOWNERS); never over a file p2c did not write')
  .option('--check <file>', 'exit 1 when that file is not what the mesh says (for CI)')
  .option(...typeCheckOption)
  .action(async (entry: string | undefined, opts: { write?: string; check?: string; typeCheck: boolean }) => {
    await run(async () => {
      const c = await compileEntry(entry, opts.typeCheck);
      const top = workTreeOf('.')?.root ?? process.cwd();
      const text = codeowners(c.mesh, [...c.layout.folders.keys()], c.mesh.gitops.path, top);
      if (opts.check) {
        const current = fs.existsSync(opts.check) ? fs.readFileSync(opts.check, 'utf8') : undefined;
        if (current !== text) throw new CommitError(`${opts.check} is not what the mesh's owners say: run p2c owners --write ${opts.check} and commit it`);
        return;
      }
      if (opts.write) {
        if (fs.existsSync(opts.write) && !fs.readFileSync(opts.write, 'utf8').startsWith(codeownersHeader)) {
          throw new CommitError(`${opts.write} exists and was not written by p2c: merge by hand, or remove it first`);
        }
        fs.mkdirSync(path.dirname(path.resolve(opts.write)), { recursive: true });
        fs.writeFileSync(opts.write, text);
        process.stdout.write(`wrote ${opts.write}\n`);
        return;
      }
      process.stdout.write(text);
    });
  });

program
  .command('checks')
  .description('List every check p2c runs, with its stable code.')
  .addOption(new Option('--format <format>', 'text, or json for CI tools').choices(['text', 'json']).default('text'))
  .action((opts: { format: 'text' | 'json' }) => {
    if (opts.format === 'json') {
      process.stdout.write(JSON.stringify(allChecks.map((c) => ({ code: c.code, name: c.name, summary: c.summary })), null, 2) + '\n');
      return;
    }
    for (const c of allChecks) process.stdout.write(`${c.code}  ${c.name.padEnd(22)} ${c.summary}\n`);
  });

await program.parseAsync(process.argv);
