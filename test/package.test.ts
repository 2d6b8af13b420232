import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './support/paths.js';
import { tempDir } from './support/run.js';

/**
 * p2c as a platform team gets it: `npm pack`, the tarball unpacked as node_modules/p2c of a repository of their own,
 * beside exactly the packages p2c declares (dependencies and peers, linked from this clone's node_modules: no network
 * in tests). Anything p2c needs and does not declare fails to resolve here.
 */
interface Pkg {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Pkg;
let modules: string; // a node_modules with the packed p2c and its declared dependencies
let packed: string[]; // paths inside the tarball

function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository of the user's, made by `p2c init`, using the shared node_modules. */
function initialized(moduleSystem: 'esm' | 'commonjs'): string {
  const root = tempDir('p2c-consumer-');
  const dir = path.join(root, 'platform');
  const r = run(root, path.join(modules, '.bin/p2c'), ['init', 'platform', '--module', moduleSystem]);
  expect(r.status, r.stderr).toBe(0);
  fs.symlinkSync(modules, path.join(dir, 'node_modules'));
  return dir;
}

beforeAll(() => {
  const work = tempDir('p2c-pack-');
  // prepack builds lib/ with tsc; npm prints the tarball's name last.
  const out = execFileSync('npm', ['pack', '--pack-destination', work, '--json'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const info = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packed = info[0]!.files.map((f) => f.path);
  modules = path.join(work, 'node_modules');
  fs.mkdirSync(path.join(modules, 'p2c'), { recursive: true });
  execFileSync('tar', ['-xzf', path.join(work, info[0]!.filename), '-C', path.join(modules, 'p2c'), '--strip-components=1']);
  for (const dep of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]) {
    fs.mkdirSync(path.dirname(path.join(modules, dep)), { recursive: true });
    fs.symlinkSync(path.join(repoRoot, 'node_modules', dep), path.join(modules, dep));
  }
  fs.mkdirSync(path.join(modules, '.bin'));
  fs.symlinkSync('../p2c/bin/p2c.js', path.join(modules, '.bin/p2c'));
  fs.symlinkSync('../typescript/bin/tsc', path.join(modules, '.bin/tsc'));
}, 180_000);

describe('the npm package', () => {
  it('holds compiled JavaScript with declarations, the schemas and the bin; no sources, tests or benchmarks', () => {
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/p2c.js', 'lib/src/index.js', 'lib/src/index.d.ts', 'schemas/props.json']));
    expect(packed.filter((f) => /^(src|test|bench|examples|constructs)\//.test(f))).toEqual([]);
    expect(packed.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(modules, 'p2c/package.json'), 'utf8'));
    expect(manifest.exports['.']).toMatchObject({ types: './lib/src/index.d.ts', default: './lib/src/index.js' });
    expect(manifest.peerDependencies).toHaveProperty('cdk8s');
    expect(manifest.peerDependencies).toHaveProperty('constructs');
  });

  it('imports nothing it does not declare: every bare import in lib/ is a dependency, a peer or node:', () => {
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const undeclared = new Set<string>();
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const f = path.join(dir, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith('.js')) {
          const text = fs.readFileSync(f, 'utf8');
          for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)) {
            const spec = m[1]!;
            if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('data:')) continue;
            // Text in messages and templates that merely looks like an import (`${x}`), and p2c's own name.
            if (!/^(@[a-z0-9~-][\w.~-]*\/)?[a-z0-9~-][\w.~-]*(\/.*)?$/.test(spec) || spec === pkg.name) continue;
            const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
            if (!declared.has(name)) undeclared.add(`${name} (${path.relative(modules, f)})`);
          }
        }
      }
    };
    walk(path.join(modules, 'p2c/lib'));
    walk(path.join(modules, 'p2c/bin'));
    expect([...undeclared]).toEqual([]);
  });

  it('p2c --version prints the package version', () => {
    const r = run(repoRoot, path.join(modules, '.bin/p2c'), ['--version']);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});

describe('a repository made with p2c init', () => {
  it.each(['esm', 'commonjs'] as const)('(%s) synthesizes with no edit, and its own strict tsc --noEmit reports nothing', (moduleSystem) => {
    const dir = initialized(moduleSystem);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type).toBe(moduleSystem === 'esm' ? 'module' : 'commonjs');
    const synth = run(dir, path.join(modules, '.bin/p2c'), ['synth']);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(synth.stdout).toMatch(/dist: \d+ written/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'dist/.p2c/owned.json'), 'utf8')).version).toBe(pkg.version);
    expect(fs.readFileSync(path.join(dir, 'dist/kcp/root/team/webshop/manifest.yaml'), 'utf8')).toContain('kind: APIBinding');
    // The tsconfig p2c init writes is strict, with exactOptionalPropertyTypes and skipLibCheck.
    const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')).compilerOptions;
    expect(tsconfig).toMatchObject({ strict: true, exactOptionalPropertyTypes: true, skipLibCheck: true });
    const tsc = run(dir, path.join(modules, '.bin/tsc'), ['--noEmit', '-p', '.']);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('refuses to scaffold over files that are there, and writes nothing', () => {
    const dir = tempDir('p2c-init-');
    fs.writeFileSync(path.join(dir, 'mesh.ts'), 'mine');
    const r = run(dir, path.join(modules, '.bin/p2c'), ['init']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('already has mesh.ts');
    expect(fs.readdirSync(dir)).toEqual(['mesh.ts']);
  });

  it('every mistake of a new team is a coded finding at its line, from the installed package', () => {
    const dir = initialized('esm');
    const mesh = fs.readFileSync(path.join(dir, 'mesh.ts'), 'utf8');
    const mistaken = mesh
      .replace('frontProxyUrl', 'frontProxyURL')
      .replace("server: 'https://database", "sever: 'https://database")
      .replace("reference: 'spec", "refrence: 'spec")
      .replace(", acceptClaims: ['events', 'namespaces', 'secrets']", '');
    fs.writeFileSync(path.join(dir, 'mesh.ts'), mistaken);
    const lineOf = (text: string) => mistaken.split('\n').findIndex((l) => l.includes(text)) + 1;
    const typed = run(dir, path.join(modules, '.bin/p2c'), ['synth']);
    expect(typed.status).toBe(1);
    for (const [word, code] of [['frontProxyURL', 'TS2561'], ['sever:', 'TS2561'], ['refrence:', 'TS2561'], ["webshop.bind('postgres'", 'TS2345']] as const) {
      expect(typed.stderr).toContain(`mesh.ts:${lineOf(word)}: error P2C034 type-error: ${code}`);
    }
    expect(typed.stderr).not.toMatch(/node_modules|\n\s+at /);
    // The same program as JavaScript: no types, so the run-time props check finds the same four.
    fs.writeFileSync(path.join(dir, 'mesh.js'), mistaken);
    const untyped = run(dir, path.join(modules, '.bin/p2c'), ['synth', 'mesh.js']);
    expect(untyped.status).toBe(1);
    expect(untyped.stderr).toContain(`mesh.js:${lineOf('new Mesh(')}: error P2C035 invalid-props: unknown property 'kcp.frontProxyURL'`);
    expect(untyped.stderr).toContain(`mesh.js:${lineOf("addCluster('cluster'")} [database/cluster]: error P2C035 invalid-props: unknown property 'sever'`);
    expect(untyped.stderr).toContain(`mesh.js:${lineOf("database.provide('postgres'")} [database/postgres]: error P2C035 invalid-props: unknown property 'related[0].refrence'`);
    expect(untyped.stderr).toContain(`mesh.js:${lineOf("webshop.bind('postgres'")} [webshop/postgres]: error P2C035 invalid-props: missing required property 'acceptClaims'`);
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it('cdk8s synth works: it deletes only its own scratch folder, runs p2c, and p2c keeps its ownership records', () => {
    const dir = initialized('esm');
    const bin = { PATH: `${path.join(modules, '.bin')}${path.delimiter}${process.env['PATH']}` };
    expect(run(dir, path.join(modules, '.bin/p2c'), ['synth', '-q']).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'dist/NOTES.md'), 'ours');
    // What cdk8s-cli v2.198.253 does (src/cli/cmds/synth.ts, src/util.ts): remove `output`, run `app` in a shell with
    // CDK8S_OUTDIR set, then fail unless the app created `output`.
    const config = fs.readFileSync(path.join(dir, 'cdk8s.yaml'), 'utf8');
    const cdk8sOutput = /^output: (.+)$/m.exec(config)![1]!;
    const app = /^app: (.+)$/m.exec(config)![1]!;
    fs.rmSync(path.join(dir, cdk8sOutput), { recursive: true, force: true });
    const r = spawnSync(app, { cwd: dir, shell: true, encoding: 'utf8', env: { ...process.env, ...bin, CDK8S_OUTDIR: cdk8sOutput } });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, cdk8sOutput))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'dist/NOTES.md'), 'utf8')).toBe('ours');
    expect(r.stdout).toContain('dist: 0 written, 0 removed');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'dist/.p2c/owned.json'), 'utf8')).files).toHaveProperty(['MESH.md']);
  });

  it('an older cdk8s.yaml whose output is p2c\'s: synth warns; under cdk8s synth (which already deleted it) p2c writes nothing', () => {
    const dir = initialized('esm');
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: npx p2c synth mesh.ts\noutput: dist\n');
    const warned = run(dir, path.join(modules, '.bin/p2c'), ['synth', '-q']);
    expect(warned.status).toBe(0);
    expect(warned.stderr).toContain('warning: cdk8s.yaml: `cdk8s synth` deletes dist/');
    fs.rmSync(path.join(dir, 'dist'), { recursive: true });
    const refused = run(dir, path.join(modules, '.bin/p2c'), ['synth'], { CDK8S_OUTDIR: 'dist' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("cdk8s synth deleted dist/ before it ran p2c");
    expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
