/**
 * p2c synth speed against floors measured in the same run, on the same objects:
 * - jsonFloorMs: `JSON.stringify` of the final objects into the same files (one manifest and one kustomization per
 *   folder): what writing the output costs with no YAML at all;
 * - yamlFloorMs: the `yaml` library serializing the final objects into the same files;
 * - cdk8sMs: cdk8s App.synth() of the same objects, one Chart per output folder, with cdk8s'
 *   defaults (one file per chart).
 * Also an unchanged re-synth (resynthMs) and one team's change (oneTeamMs) over the first output, with its verdicts.
 * Usage: npm run bench -- --teams 1000 [--json] [--skip-cdk8s] [--no-instances] [--phases] [--workers 2]
 *        npm run bench -- --slope 250,1000,4000   (each size in its own process; time ratios show the slope)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { App, Chart, ApiObject } from 'cdk8s';
import { Mesh, synth } from '../src/index.js';
import { syntheticMesh } from './synthetic-mesh.js';
import { runSlope } from './slope.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
// --slope 250,1000,4000: each size in a fresh process, then how time grows with the mesh.
if (arg('--slope')) {
  runSlope(arg('--slope')!.split(',').map(Number), process.argv.includes('--no-instances'));
  process.exit(0);
}
const teams = Number(arg('--teams') ?? 100);
const json = process.argv.includes('--json');
const skipCdk8s = process.argv.includes('--skip-cdk8s');
// --workers 2: validate on two threads (P2C_WORKERS=2 for the CLI).
const workers = Number(arg('--workers') ?? 1);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const say = (s: string) => { if (!json) process.stdout.write(s + '\n'); };
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'p2c-bench-'));

// The first synth and the floors, in a function of their own: when it returns, nothing of that synth stays
// reachable (a value a top-level await left in the module's frame would), so the re-synth's peak is its own.
const instances = !process.argv.includes('--no-instances');
async function firstRun() {
  // p2c: construct, check, validate, write, to a fresh folder.
  let t0 = performance.now();
  Mesh.reset();
  // Each progress message starts a phase; the time until the next one is that phase's.
  let last = t0;
  let current = 'declaring the mesh';
  const phases: Array<[phase: string, ms: number]> = [];
  const progress = (message: string) => { const now = performance.now(); phases.push([current, now - last]); current = message; last = now; };
  const mesh: Mesh | undefined = syntheticMesh(teams, { instances });
  progress('reading the mesh');
  const { compilation } = await synth(mesh!, { outdir: path.join(scratch, 'p2c'), progress, workers });
  progress('written');
  const synthMs = performance.now() - t0;
  if (process.argv.includes('--phases')) {
    for (const [phase, ms] of phases.filter(([, ms]) => ms >= 0.5)) {
      say(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / synthMs).toFixed(1).padStart(5)} %  ${phase}`);
    }
  }
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const objects = [...compilation.layout.folders.values()].reduce((n, objs) => n + objs.length, 0);
  const files = compilation.files.size;
  say(`p2c synth: ${teams} teams, ${objects} objects, ${files} files in ${synthMs.toFixed(0)} ms`);

  // Floor: the same objects through JSON.stringify into the same files (JSON is YAML; kustomize reads it).
  t0 = performance.now();
  const jsonDir = path.join(scratch, 'json');
  for (const [folder, objs] of compilation.layout.folders) {
    const dir = path.join(jsonDir, folder);
    fs.mkdirSync(dir, { recursive: true });
    if (objs.length) fs.writeFileSync(path.join(dir, 'manifest.yaml'), objs.map((p) => `---\n${JSON.stringify(p.object)}\n`).join(''));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), JSON.stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: objs.length ? ['manifest.yaml'] : [] }));
  }
  fs.writeFileSync(path.join(jsonDir, 'MESH.md'), compilation.files.get('MESH.md')!);
  const jsonFloorMs = performance.now() - t0;
  say(`JSON floor: ${jsonFloorMs.toFixed(0)} ms`);

  // Floor: the same objects serialized by the yaml library into the same files.
  t0 = performance.now();
  const floorDir = path.join(scratch, 'yaml');
  const made = new Set<string>();
  for (const [folder, objs] of compilation.layout.folders) {
    const dir = path.join(floorDir, folder);
    if (!made.has(dir)) { fs.mkdirSync(dir, { recursive: true }); made.add(dir); }
    if (objs.length) fs.writeFileSync(path.join(dir, 'manifest.yaml'), objs.map((p) => `---\n${stringify(p.object, { lineWidth: 0 })}`).join(''));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: objs.length ? ['manifest.yaml'] : [] }, { lineWidth: 0 }));
  }
  fs.writeFileSync(path.join(floorDir, 'MESH.md'), compilation.files.get('MESH.md')!);
  const yamlFloorMs = performance.now() - t0;
  say(`yaml floor: ${yamlFloorMs.toFixed(0)} ms`);

  // cdk8s: the same objects through App.synth(), one Chart per folder.
  let cdk8sMs = NaN;
  if (!skipCdk8s) {
    t0 = performance.now();
    // cdk8s defaults: one YAML file per chart, as a cdk8s user gets it.
    const app = new App({ outdir: path.join(scratch, 'cdk8s') });
    let n = 0;
    for (const [folder, objs] of compilation.layout.folders) {
      const chart = new Chart(app, folder.replace(/[^a-z0-9]+/gi, '-'), { disableResourceNameHashes: true });
      for (const p of objs) new ApiObject(chart, `o${n++}`, p.object as never);
    }
    app.synth();
    cdk8sMs = performance.now() - t0;
    say(`cdk8s App.synth(): ${cdk8sMs.toFixed(0)} ms`);
  }
  return { synthMs, objects, files, jsonFloorMs, yamlFloorMs, cdk8sMs };
}
const { synthMs, objects, files, jsonFloorMs, yamlFloorMs, cdk8sMs } = await firstRun();

// A re-synth of the unchanged mesh must rewrite nothing. The first run's data is dropped first,
// so the peak is one synth's, not two.
const gc = (globalThis as { gc?: () => void }).gc;
Mesh.reset();
gc?.();
let t0 = performance.now();
const resynth = async (oneMoreBinding: boolean) => (await synth(syntheticMesh(teams, { instances, oneMoreBinding }), { outdir: path.join(scratch, 'p2c'), workers })).write.written;
const rewritten = (await resynth(false)).length;
const resynthMs = performance.now() - t0;
say(`re-synth unchanged: ${resynthMs.toFixed(0)} ms, ${rewritten} files rewritten`);
gc?.();

// One team's change: the first team binds one more API (and makes an instance of it).
t0 = performance.now();
Mesh.reset();
const changed = await resynth(true);
const oneTeamMs = performance.now() - t0;
say(`re-synth, one team binds one more API: ${oneTeamMs.toFixed(0)} ms, ${changed.length} files rewritten (${changed.join(', ')})`);

clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
fs.rmSync(scratch, { recursive: true, force: true });
const result = { teams, objects, files, synthMs: Math.round(synthMs), jsonFloorMs: Math.round(jsonFloorMs), yamlFloorMs: Math.round(yamlFloorMs),
  resynthMs: Math.round(resynthMs), oneTeamMs: Math.round(oneTeamMs), cdk8sMs: Math.round(cdk8sMs), peakRssMb: Math.round(peakRss / 1048576) };
say(`synth / JSON floor = ${(synthMs / jsonFloorMs).toFixed(2)}; synth / yaml floor = ${(synthMs / yamlFloorMs).toFixed(2)}; re-synth / synth = ${(resynthMs / synthMs).toFixed(2)}; one team / synth = ${(oneTeamMs / synthMs).toFixed(2)}; cdk8s / synth = ${(cdk8sMs / synthMs).toFixed(1)}; peak RSS ${result.peakRssMb} MiB; ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, node ${process.version}`);
process.stdout.write(JSON.stringify(result) + '\n');
