/**
 * How synth time grows with the mesh: each size runs in a fresh Node process (no warm caches, one peak RSS each), and
 * the ratios between neighbouring sizes are printed beside the size ratios. Linear synth keeps the two close.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Row { teams: number; objects: number; synthMs: number; jsonFloorMs: number; resynthMs: number; peakRssMb: number }

export function runSlope(sizes: readonly number[], noInstances: boolean): void {
  const script = fileURLToPath(new URL('./run.ts', import.meta.url));
  const runner = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
  const rows: Row[] = [];
  for (const teams of sizes) {
    const args = ['--expose-gc', runner, script, '--teams', String(teams), '--json', '--skip-cdk8s', ...(noInstances ? ['--no-instances'] : [])];
    process.stderr.write(`bench: T=${teams} …\n`);
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
    if (r.status !== 0) throw new Error(`bench at T=${teams} failed:\n${r.stderr}`);
    rows.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Row);
  }
  process.stdout.write('| teams | objects | synthMs | jsonFloorMs | re-synth ms | peak RSS MiB | size ratio | time ratio |\n');
  process.stdout.write('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n');
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    const ratios = prev ? [(row.objects / prev.objects).toFixed(2), (row.synthMs / prev.synthMs).toFixed(2)] : ['', ''];
    process.stdout.write(`| ${row.teams} | ${row.objects} | ${row.synthMs} | ${row.jsonFloorMs} | ${row.resynthMs} | ${row.peakRssMb} | ${ratios.join(' | ')} |\n`);
  });
}
