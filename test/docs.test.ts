import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allChecks } from '../src/index.js';
import { repoRoot } from './support/paths.js';

describe('README', () => {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('starts with a Quick start of exactly two commands in one fenced block', () => {
    const m = /^# .*\n\n## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme);
    expect(m).not.toBeNull();
    expect(m![1]!.trim().split('\n')).toEqual(['npm ci && npx p2c synth examples/idp/mesh.ts --out dist', 'npm test']);
  });

  it('lists every check code with its name', () => {
    for (const c of allChecks) expect(readme, c.code).toContain(`| ${c.code} | ${c.name} |`);
  });

  it('.ci/run runs the Quick start commands', () => {
    const ci = fs.readFileSync(path.join(repoRoot, '.ci/run'), 'utf8');
    expect(ci).toContain('npm ci && npx p2c synth examples/idp/mesh.ts --out dist');
    expect(ci).toContain('npm test');
  });

  it('the versions table names exactly the images p2c writes by default, and the package version', () => {
    const section = readme.slice(readme.indexOf('## Versions'), readme.indexOf('## Validation sources'));
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;
    expect(section).toContain(`| upstream | p2c ${version} pins |`);
    const images = (text: string) => new Set([...text.matchAll(/ghcr\.io\/[\w.\/-]+:v[\w.-]+/g)].map((m) => m[0]));
    const defaults = ['constructs/provided-api.ts', 'constructs/kube-bind.ts', 'src/compose/from-constructs.ts']
      .map((f) => fs.readFileSync(path.join(repoRoot, f), 'utf8')).join('\n');
    expect([...images(section)].sort()).toEqual([...images(defaults)].sort());
  });
});
