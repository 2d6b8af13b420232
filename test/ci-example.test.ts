import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { p2c } from './support/run.js';
import { repoRoot } from './support/paths.js';

describe('examples/ci', () => {
  const workflow = parse(fs.readFileSync(path.join(repoRoot, 'examples/ci/p2c.yaml'), 'utf8')) as { on: object; jobs: { mesh: { steps: Array<{ run?: string; if?: string }> } } };
  const runs = workflow.jobs.mesh.steps.map((s) => s.run ?? '').join('\n');

  it('synthesizes, diffs against the base branch as markdown, posts it, and commits on main', () => {
    expect(runs).toContain('npx p2c synth "$MESH" --out "$OUT"');
    expect(runs).toContain('npx p2c diff "origin/${{ github.base_ref }}:$OUT" "$OUT" --format markdown');
    expect(runs).toContain('gh pr comment');
    expect(runs).toContain('--commit');
  });

  it('uses only commands and options p2c has', () => {
    for (const m of runs.matchAll(/npx p2c (\w+)([^\n]*)/g)) {
      const help = p2c([m[1]!, '--help']);
      expect(help.status, m[0]).toBe(0);
      for (const opt of m[2]!.match(/--[a-z-]+/g) ?? []) expect(help.stdout, `${m[1]} ${opt}`).toContain(opt);
    }
  });

  it('its mesh.ts synthesizes', () => {
    const r = p2c(['validate', 'examples/ci/mesh.ts']);
    expect(r.status).toBe(0);
  });
});
