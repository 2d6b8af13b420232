import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { p2c } from './support/run.js';
import { repoRoot } from './support/paths.js';
import { scaffold } from '../src/cli/init.js';

// GitHub's workflow schema (SchemaStore's, bundled by action-validator): what GitHub itself would refuse.
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as { validateWorkflow: (src: string) => { errors: unknown[] } };

describe('examples/ci', () => {
  const source = fs.readFileSync(path.join(repoRoot, 'examples/ci/p2c.yaml'), 'utf8');
  const workflow = parse(source) as { on: object; jobs: { mesh: { steps: Array<{ run?: string; if?: string }> } } };
  const runs = workflow.jobs.mesh.steps.map((s) => s.run ?? '').join('\n');

  it('is a valid GitHub Actions workflow, and so is the one p2c init writes', () => {
    expect(validateWorkflow(source).errors).toEqual([]);
    expect(validateWorkflow(scaffold('x', 'esm').get('.github/workflows/p2c.yaml')!).errors).toEqual([]);
    expect(validateWorkflow('on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n').errors).not.toEqual([]);
  });

  it('renders manifests in the pull request: synth, fail when the committed output or CODEOWNERS is stale, review, fail on breaking contracts', () => {
    expect(runs).toContain('npx p2c synth "$MESH" --out "$OUT"');
    expect(runs).toMatch(/git status --porcelain -- "\$OUT"[\s\S]*exit 1/);
    expect(runs).toContain('npx p2c owners "$MESH" --check CODEOWNERS');
    expect(runs).toContain('npx p2c diff "origin/${{ github.base_ref }}:$OUT" "$OUT" --format markdown --exit-code');
    expect(runs).toContain('gh pr comment');
    expect(workflow.jobs.mesh.steps.some((s) => s.if?.includes("steps.review.outputs.code == '3'"))).toBe(true);
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
