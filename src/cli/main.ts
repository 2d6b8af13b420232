import { Command, Option } from 'commander';
import { loadMesh, readProjectConfig } from './entry.js';
import { compile } from '../pipeline.js';
import { formatDiagnostic, MeshError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { writeOutput, OutputError } from '../output/write.js';
import { accessReport, summarize } from './summary.js';
import { importCrdDirectory, writeSchemaDirectory } from '../crd-import/import.js';
import { allChecks } from '../diagnostics/codes.js';

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

async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof MeshError) fail(e.diagnostics);
    if (e instanceof OutputError) {
      process.stderr.write(`p2c: error P2C021 unsafe-output: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

const program = new Command('p2c')
  .description('Compile a Platform Mesh provider-to-consumer mesh, written as cdk8s constructs in TypeScript, into the manifests every kcp workspace and compute cluster needs.')
  .showHelpAfterError('(run p2c --help for usage)');

program
  .command('synth')
  .description('Run a mesh program, check the whole mesh, validate every object against the upstream schemas, and write the output folder. Writes nothing if anything is wrong.')
  .argument('[entry]', 'mesh program (.ts or .js) that declares one Mesh; default: `app` in cdk8s.yaml')
  .option('-o, --out <dir>', 'output folder; default: `output` in cdk8s.yaml, else dist')
  .option('--force', 'write into a non-empty folder p2c has no record of writing', false)
  .option('-q, --quiet', 'print nothing on success', false)
  .addHelpText('after', `
Output layout:
  kcp/<workspace path segments>/   objects applied inside that kcp workspace
  clusters/<cluster name>/         objects applied to that compute cluster
Every folder has a kustomization.yaml. Files p2c wrote earlier and no longer produces are
removed; files it did not write are left alone; unchanged files are not rewritten.

Examples:
  p2c synth examples/idp/mesh.ts --out dist
  p2c synth                          # uses app and output from cdk8s.yaml`)
  .action(async (entry: string | undefined, opts: { out?: string; force: boolean; quiet: boolean }) => {
    await run(async () => {
      const file = entryOf(entry);
      const outdir = opts.out ?? readProjectConfig().output ?? 'dist';
      const mesh = await loadMesh(file);
      const compilation = compile(mesh);
      if (compilation.diagnostics.length > 0) throw new MeshError(compilation.diagnostics);
      const result = writeOutput(outdir, compilation.files, { force: opts.force });
      if (!opts.quiet) process.stdout.write(summarize(compilation, result, outdir) + '\n');
    });
  });

program
  .command('validate')
  .description('Run a mesh program and every check and schema validation, without writing. Prints who may bind each export and which claims each consumer accepted.')
  .argument('[entry]', 'mesh program; default: `app` in cdk8s.yaml')
  .action(async (entry: string | undefined) => {
    await run(async () => {
      const mesh = await loadMesh(entryOf(entry));
      const compilation = compile(mesh);
      if (compilation.diagnostics.length > 0) throw new MeshError(compilation.diagnostics);
      process.stdout.write(`${summarize(compilation)}\n${accessReport(compilation)}\nvalid: ${compilation.manifests.length} objects checked\n`);
    });
  });

program
  .command('import-crds')
  .description('Generate the JSON schemas p2c validates with from upstream CRD files (structure and CEL rules, no descriptions).')
  .argument('<dir>', 'folder of CustomResourceDefinition YAML files, searched recursively')
  .addOption(new Option('-o, --out <dir>', 'schema folder to (re)write').default('schemas'))
  .action((dir: string, opts: { out: string }) => {
    const n = writeSchemaDirectory(importCrdDirectory(dir), opts.out);
    process.stdout.write(`wrote ${n} schemas to ${opts.out}\n`);
  });

program
  .command('checks')
  .description('List every check p2c runs, with its stable code.')
  .action(() => {
    for (const c of allChecks) process.stdout.write(`${c.code}  ${c.name.padEnd(22)} ${c.summary}\n`);
  });

await program.parseAsync(process.argv);
