/**
 * What type-checking the mesh program costs a synth: the CLI on examples/idp, cold (no cache), then warm with the
 * check and warm without it (--no-type-check), each the median of several runs of the real command.
 *
 * Usage: npm run bench:type-check -- [--runs 5] [--json]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('--runs') ?? 5);
// A copy of the example in a project of its own (p2c linked as a user's install would resolve it): edits stay there.
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'p2c-bench-tc-'));
fs.cpSync(path.join(root, 'examples/idp'), project, { recursive: true });
fs.writeFileSync(path.join(project, 'package.json'), '{"type":"module"}\n');
fs.mkdirSync(path.join(project, 'node_modules'));
fs.symlinkSync(root, path.join(project, 'node_modules/p2c'));
const out = path.join(project, 'out');

function synthMs(...extra: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/p2c.js'), 'synth', 'mesh.ts', '--out', out, '-q', ...extra], { cwd: project, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
  return ms;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cold = synthMs();
const warm = median(Array.from({ length: runs }, () => synthMs()));
const without = median(Array.from({ length: runs }, () => synthMs('--no-type-check')));
// A changed program: the record no longer matches, TypeScript's incremental build info is used.
fs.appendFileSync(path.join(project, 'mesh.ts'), `\n// an edit\n`);
const edited = synthMs();
fs.rmSync(project, { recursive: true, force: true });

const figures = { coldMs: Math.round(cold), warmMs: Math.round(warm), withoutMs: Math.round(without), warmCostMs: Math.round(warm - without), editedMs: Math.round(edited) };
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(figures) + '\n');
else {
  process.stdout.write(`synth examples/idp (median of ${runs}):
  cold, type check with no cache     ${figures.coldMs} ms
  warm, type check (unchanged)       ${figures.warmMs} ms
  warm, --no-type-check              ${figures.withoutMs} ms
  cost of the warm check             ${figures.warmCostMs} ms
  after an edit (incremental check)  ${figures.editedMs} ms
`);
}
