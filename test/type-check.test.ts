import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { p2c } from './support/run.js';
import { mistakenMesh, project } from './support/project.js';

const corrected = mistakenMesh
  .replace("kcp: { frontProxyURL: 'https://kcp.example.com' },", "kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { repoURL: 'https://git.example.com/m.git' },")
  .replace('sever:', 'server:')
  .replace('refrence:', 'reference:')
  .replace('{ api: pg }', "{ api: pg, acceptClaims: ['events', 'namespaces', 'secrets'] }");

describe('synth type-checks the mesh program first', () => {
  it('reports every type error at once, at its line, with TypeScript\'s suggestion as the fix, and writes nothing', () => {
    const dir = project({ 'mesh.ts': mistakenMesh });
    const r = p2c(['synth', 'mesh.ts', '--out', 'out'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("mesh.ts:3: error P2C034 type-error: TS2561: Object literal may only specify known properties, but 'frontProxyURL'");
    expect(r.stderr).toContain("fix: write 'frontProxyUrl' for 'frontProxyURL'");
    expect(r.stderr).toMatch(/mesh\.ts:7: error P2C034 type-error: TS2561: .*'sever'/);
    expect(r.stderr).toContain("fix: write 'server' for 'sever'");
    expect(r.stderr).toMatch(/mesh\.ts:9: error P2C034 type-error: TS2561: .*'refrence'/);
    expect(r.stderr).toContain("fix: write 'reference' for 'refrence'");
    expect(r.stderr).toMatch(/mesh\.ts:10: error P2C034 type-error: TS2345: .*acceptClaims/);
    expect(r.stderr).toContain("fix: add the required property 'acceptClaims'");
    expect(r.stderr).toContain('p2c: 4 problems; nothing was written');
    // Sorted by line; no stack trace, and nothing of p2c's own sources reported.
    const lines = [...r.stderr.matchAll(/^mesh\.ts:(\d+):/gm)].map((m) => Number(m[1]));
    expect(lines).toEqual([3, 7, 9, 10]);
    expect(r.stderr).not.toMatch(/\n\s+at |node_modules|src\/|constructs\//);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a clean check is remembered: the next synth skips it until a file of the program changes', () => {
    const dir = project({ 'mesh.ts': corrected, 'helpers.ts': 'export const storage: string = "20Gi";\n' });
    fs.appendFileSync(path.join(dir, 'mesh.ts'), "import { storage } from './helpers.ts';\nvoid storage;\n");
    expect(p2c(['synth', 'mesh.ts', '--out', 'out', '-q'], dir)).toMatchObject({ status: 0, stderr: '' });
    const records = fs.readdirSync(path.join(dir, 'node_modules/.cache/p2c')).filter((f) => f.endsWith('.clean.json'));
    expect(records).toHaveLength(1);
    const record = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules/.cache/p2c', records[0]!), 'utf8'));
    expect(Object.keys(record.files)).toEqual(expect.arrayContaining([path.join(dir, 'mesh.ts'), path.join(dir, 'helpers.ts')]));
    // An imported file changes: the check runs again and finds the error there.
    fs.writeFileSync(path.join(dir, 'helpers.ts'), 'export const storage: string = 20;\n');
    const r = p2c(['synth', 'mesh.ts', '--out', 'out'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/helpers\.ts:1: error P2C034 type-error: TS2322/);
  });

  it("checks with the program's own tsconfig.json, and --no-type-check skips the check", () => {
    const loose = `${corrected}function untyped(x) { return x; }\nvoid untyped;\n`;
    const strict = project({ 'mesh.ts': loose });
    expect(p2c(['synth', 'mesh.ts', '--out', 'out'], strict).stderr).toMatch(/mesh\.ts:11: error P2C034 type-error: TS7006/);
    expect(p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'out', '-q'], strict).status).toBe(0);
    const options = { module: 'NodeNext', target: 'ES2022', strict: false, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true };
    const relaxed = project({ 'mesh.ts': loose, 'tsconfig.json': JSON.stringify({ compilerOptions: options }) });
    expect(p2c(['synth', 'mesh.ts', '--out', 'out', '-q'], relaxed)).toMatchObject({ status: 0, stderr: '' });
  });

  it('a JavaScript mesh is not type-checked (its props are checked at run time)', () => {
    const js = corrected.replace(/ as const/g, '');
    const dir = project({ 'mesh.js': js });
    expect(p2c(['synth', 'mesh.js', '--out', 'out', '-q'], dir)).toMatchObject({ status: 0, stderr: '' });
    expect(fs.existsSync(path.join(dir, 'node_modules/.cache/p2c'))).toBe(false);
  });
});
