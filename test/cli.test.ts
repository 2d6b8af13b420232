import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { p2c, readTree, tempDir } from './support/run.js';
import { example, repoRoot } from './support/paths.js';

describe('p2c synth', () => {
  it('synthesizes examples/idp into the documented layout and prints a summary', () => {
    const out = path.join(tempDir(), 'out');
    const r = p2c(['synth', example('idp'), '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 teams, 3 workspaces, 3 clusters, 3 APIExports, 4 APIBindings/);
    for (const team of ['database', 'observability', 'webshop']) {
      expect(fs.existsSync(path.join(out, 'kcp/root/team', team, 'kustomization.yaml'))).toBe(true);
      expect(fs.existsSync(path.join(out, 'clusters', team, 'kustomization.yaml'))).toBe(true);
    }
    expect(fs.readFileSync(path.join(out, 'kcp/root/team/manifest.yaml'), 'utf8')).toMatch(/kind: Workspace\nmetadata:\n {2}annotations:\n(?: {4}.*\n)+ {2}labels:/);
  });

  it('gives byte-identical output on a second run and rewrites nothing', () => {
    const a = path.join(tempDir(), 'a');
    const b = path.join(tempDir(), 'b');
    expect(p2c(['synth', example('idp'), '--out', a]).status).toBe(0);
    expect(p2c(['synth', example('idp'), '--out', b]).status).toBe(0);
    expect(readTree(a)).toEqual(readTree(b));
    const again = p2c(['synth', example('idp'), '--out', a]);
    expect(again.stdout).toMatch(/0 written, 0 removed, \d+ unchanged/);
  });

  it('reads app and output from cdk8s.yaml when given no entry', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `app: npx tsx ${example('idp')}\noutput: generated\n`);
    const r = p2c(['synth'], dir);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'generated/kcp/root/team/webshop/kustomization.yaml'))).toBe(true);
  });

  it('a missing entry is a one-line error, non-zero exit, and creates nothing', () => {
    const out = path.join(tempDir(), 'never');
    const r = p2c(['synth', 'does-not-exist.ts', '--out', out]);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/error P2C019 entry-failed: mesh program 'does-not-exist.ts' does not exist/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('reports every graph error at once with construct path and file:line, and writes nothing', () => {
    const out = path.join(tempDir(), 'never');
    const r = p2c(['synth', 'test/fixtures/broken/mesh.ts', '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("test/fixtures/broken/mesh.ts:7 [database/cluster]: error P2C001 invalid-name: cluster name 'Database_Cluster'");
    expect(r.stderr).toContain("test/fixtures/broken/mesh.ts:13 [webshop/postgres]: error P2C004 unaccepted-claim: binding 'database.example.com' does not accept claim 'secrets'");
    expect(r.stderr).toContain("test/fixtures/broken/mesh.ts:14 [webshop/redis]: error P2C003 unknown-export: no team provides APIExport 'redis.example.com' in workspace 'root:team:cache'");
    expect(r.stderr).toMatch(/problems; nothing was written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a program that throws is reported with its file:line, without a stack trace', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    fs.writeFileSync(path.join(dir, 'mesh.ts'), "import { Mesh } from 'p2c';\nnew Mesh();\nthrow new Error('boom');\n");
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/p2c'));
    const r = p2c(['synth', 'mesh.ts', '--out', 'out'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('mesh.ts:3');
    expect(r.stderr).toContain('Error: boom');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on usage errors, so scripts can tell them from mesh problems', () => {
    expect(p2c(['diff', 'only-one']).status).toBe(2);
    expect(p2c(['no-such-command']).status).toBe(2);
    expect(p2c(['synth', '--gitops', 'jenkins']).status).toBe(2);
    expect(p2c(['--help']).status).toBe(0);
  });

  it('explains itself with --help', () => {
    const top = p2c(['--help']);
    expect(top.stdout).toMatch(/synth/);
    expect(top.stdout).toMatch(/validate/);
    const synth = p2c(['synth', '--help']);
    expect(synth.stdout).toMatch(/--out <dir>/);
    expect(synth.stdout).toMatch(/kcp\/<workspace path segments>/);
  });
});

describe('p2c validate', () => {
  it('checks without writing and prints who may bind each export', () => {
    const r = p2c(['validate', example('idp')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('APIExport database.example.com in root:team:database (claims: events, namespaces, secrets)');
    expect(r.stdout).toContain('webshop (Group team:webshop) may bind it into root:team:webshop; accepts events, namespaces, secrets');
    expect(fs.existsSync(path.join(repoRoot, 'dist-should-not-exist'))).toBe(false);
  });

  it('fails with the same diagnostics as synth', () => {
    const r = p2c(['validate', 'test/fixtures/broken/mesh.ts']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('P2C004 unaccepted-claim');
  });
});

describe('--format json for CI tools', () => {
  it('validate prints one JSON document: the report of a valid mesh, or its problems with exit 1', () => {
    const ok = p2c(['validate', '--no-type-check', example('idp'), '--format', 'json']);
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ valid: true, objects: expect.any(Number) });
    expect(report.access.find((e: { export: string }) => e.export === 'database.example.com').consumers.map((c: { team: string }) => c.team)).toEqual(['observability', 'webshop']);
    expect(report.prerequisites.at(-1)).toMatchObject({ title: 'Bootstrap Flux (once)', file: 'gitops/flux/bootstrap.yaml' });
    const bad = p2c(['validate', '--no-type-check', 'test/fixtures/broken/mesh.ts', '--format', 'json']);
    expect(bad.status).toBe(1);
    const problems = JSON.parse(bad.stdout).problems as Array<{ code: string; location?: string }>;
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.every((p) => /^P2C\d{3}$/.test(p.code))).toBe(true);
  });

  it('checks lists every code as JSON', () => {
    const list = JSON.parse(p2c(['checks', '--format', 'json']).stdout) as Array<{ code: string; name: string }>;
    expect(list.map((c) => c.code)).toContain('P2C037');
    expect(new Set(list.map((c) => c.code)).size).toBe(list.length);
  });
});
