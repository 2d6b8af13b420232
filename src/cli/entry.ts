import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire, Module } from 'node:module';
import { register as registerCommonJs } from 'tsx/cjs/api';
import { parse } from 'yaml';
import { Mesh } from '../../constructs/mesh.js';
import { diagnostic, MeshError } from '../diagnostics/diagnostic.js';
import { invalidPropsOf } from '../compose/props.js';

export interface ProjectConfig {
  readonly app?: string;
  readonly output?: string;
  /** What `cdk8s synth` would do to p2c's output folder with this file, when that is harm. */
  readonly cdk8sDanger?: string;
}

/**
 * Reads `cdk8s.yaml` in the working folder. `cdk8s synth` deletes its `output` folder, then runs `app`; so in a p2c
 * project cdk8s's `app` runs p2c (`npx p2c synth`), its `output` is a scratch folder, and p2c's own settings live
 * under `p2c:` (app: the mesh program, output: p2c's folder, which cdk8s never touches). A file without `p2c:` is
 * read the older way: `app` (a program, or a command naming one) and `output` at the top.
 */
export function readProjectConfig(dir = process.cwd()): ProjectConfig {
  const file = path.join(dir, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return {};
  const config = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { app?: unknown; output?: unknown; p2c?: { app?: unknown; output?: unknown } };
  const own = typeof config.p2c === 'object' && config.p2c !== null ? config.p2c : undefined;
  const rawApp = own ? own.app : config.app;
  // cdk8s writes `app` as a command ("npx tsx main.ts"); p2c takes the program file from it.
  const app = typeof rawApp === 'string' ? rawApp.split(/\s+/).reverse().find((w) => /\.(m?[jt]s|tsx?)$/.test(w)) ?? (own ? rawApp : undefined) : undefined;
  const output = typeof (own ? own.output : config.output) === 'string' ? ((own ? own.output : config.output) as string) : undefined;
  const cdk8sOutput = typeof config.output === 'string' ? config.output : 'dist';
  const danger = contains(path.resolve(dir, cdk8sOutput), path.resolve(dir, output ?? 'dist'))
    ? `\`cdk8s synth\` deletes ${cdk8sOutput}/ (cdk8s.yaml \`output\`) before it runs \`app\`, and p2c writes ${output ?? 'dist'}/ there`
    : undefined;
  return { ...(app ? { app } : {}), ...(output ? { output } : {}), ...(danger ? { cdk8sDanger: danger } : {}) };
}

/** Whether folder `outer` is `inner` or holds it. */
export function contains(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** cdk8s.yaml as p2c init writes it, and as the fix for an older one says. */
export function projectConfigText(app: string, output: string): string {
  return `# \`cdk8s synth\` deletes \`output\` and then runs \`app\`: here it runs p2c, and \`output\` is a scratch folder.
# p2c's own settings are under \`p2c:\`; its output folder is never deleted, only updated (see .p2c/owned.json).
language: typescript
app: npx p2c synth
output: .cdk8s.out
p2c:
  app: ${app}
  output: ${output}
`;
}

function locate(error: unknown, entry: string): string | undefined {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const dir = path.dirname(entry);
  for (const line of stack.split('\n')) {
    const m = /((?:file:\/\/)?\/[^\s():]+):(\d+)(?::\d+)?/.exec(line);
    if (!m) continue;
    const file = m[1]!.replace(/^file:\/\//, '');
    if (file.startsWith(dir) && !file.includes('node_modules')) return `${path.relative(process.cwd(), file)}:${m[2]}`;
  }
  return undefined;
}

/** How Node runs the file: `.cts`/`.cjs`, or `.ts`/`.js` in a package without `"type": "module"`, are CommonJS. */
export function isCommonJs(file: string): boolean {
  if (/\.c[jt]s$/.test(file)) return true;
  if (/\.m[jt]s$/.test(file)) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { type?: string }).type !== 'module';
      } catch {
        return true;
      }
    }
    if (path.dirname(dir) === dir) return true;
  }
}

/**
 * A CommonJS mesh program is required, not imported: imported, Node would find its `import` syntax, load it as an ES
 * module from inside its own import and fail ("Cannot require() ES Module … in a cycle"). Its `require('p2c')` must
 * get the p2c already running (tsx would otherwise load p2c's modules a second time, as CommonJS, and the program's
 * constructs would not be the ones p2c reads), so that one entry of the require cache is filled in first.
 */
async function requireCommonJs(file: string): Promise<void> {
  registerCommonJs();
  const require = createRequire(file);
  let p2cMain: string | undefined;
  try {
    p2cMain = require.resolve('p2c');
  } catch {
    // a program that does not require p2c by name
  }
  if (p2cMain && !require.cache[p2cMain]) {
    const running = new Module(p2cMain);
    running.filename = p2cMain;
    running.loaded = true;
    running.exports = await import('../index.js');
    require.cache[p2cMain] = running;
  }
  require(file);
}

// ES modules run once per process; a second load of the same program returns the same Mesh.
const loaded = new Map<string, Mesh>();

/** Runs the mesh program and returns the one Mesh it declared. Throws MeshError otherwise. */
export async function loadMesh(entry: string): Promise<Mesh> {
  const file = path.resolve(entry);
  const known = loaded.get(file);
  if (known) return known;
  const origin = { path: '(program)', location: () => entry };
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new MeshError([diagnostic('entryFailed', origin, `mesh program '${entry}' does not exist`, 'pass the path of a .ts or .js file that declares a Mesh, e.g. examples/idp/mesh.ts')]);
  }
  Mesh.reset();
  try {
    if (isCommonJs(file)) await requireCommonJs(file);
    else await import(pathToFileURL(file).href);
  } catch (e) {
    const where = locate(e, file);
    const message = e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e);
    // Wrong props often make the program fail further on: they are the cause, reported first.
    throw new MeshError([...Mesh.declared().flatMap(invalidPropsOf),diagnostic('entryFailed', { path: '(program)', location: () => where ?? entry }, `the mesh program failed: ${message}`)]);
  }
  const meshes = Mesh.declared();
  if (meshes.length !== 1) {
    throw new MeshError([diagnostic('noMesh', origin, meshes.length === 0 ? 'the program declares no Mesh' : `the program declares ${meshes.length} meshes; p2c synthesizes one per program`, 'declare exactly one `new Mesh()`')]);
  }
  loaded.set(file, meshes[0]!);
  return meshes[0]!;
}
