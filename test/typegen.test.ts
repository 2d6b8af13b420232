import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { compile, generateTypes } from '../src/index.js';
import { delivered, smallMesh } from './support/mesh.js';
import { repoRoot } from './support/paths.js';
import { tempDir } from './support/run.js';
import { Postgres } from '../examples/idp/types/apis.p2c.ts';

const idp = (f: string) => path.join(repoRoot, 'examples/idp', f);
const crdsOf = (files: string[]) => files.flatMap((f) => parseAllDocuments(fs.readFileSync(idp(f), 'utf8')).map((d) => d.toJS()));

describe('p2c types: typed classes for the instances of provided APIs', () => {
  it('the idp example\'s generated classes are up to date with its CRDs', () => {
    const files = ['crds/webshop.yaml', 'crds/postgres.yaml', 'crds/elastic.yaml'];
    const expected = generateTypes(crdsOf(files), files.map((f) => `../${f}`).join(', '));
    expect(fs.readFileSync(idp('types/apis.p2c.ts'), 'utf8')).toBe(expected);
  });

  it('the TypeScript compiler catches a value outside the CRD\'s enum and an unknown field', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/p2c'));
    fs.copyFileSync(idp('types/apis.p2c.ts'), path.join(dir, 'apis.p2c.ts'));
    fs.writeFileSync(path.join(dir, 'mesh.ts'), `import { Mesh, Team } from 'p2c';
import { Postgres } from './apis.p2c.ts';
const team = new Team(new Mesh(delivered()), 'shop');
new Postgres(team.workspace!, 'db', { spec: { version: '99', storage: '20Gi' } });
new Postgres(team.workspace!, 'db2', { spec: { version: '16', storage: '20Gi', bogus: 1 } });
`);
    const program = ts.createProgram([path.join(dir, 'mesh.ts')], {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true, noEmit: true, allowImportingTsExtensions: true, skipLibCheck: true, types: ['node'], customConditions: ['p2c-source'],
    });
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName.endsWith('mesh.ts')).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors.join('\n')).toMatch(/"99"/);
    expect(errors.join('\n')).toMatch(/bogus/);
  }, 60_000);

  it('a finding about a typed instance points at the line that created it, not at its workspace', () => {
    const { mesh, webshop, postgres } = smallMesh();
    webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
    const line = new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1];
    new Postgres(webshop.workspace!, 'db', { metadata: { name: 'db', namespace: 'shop' }, spec: { version: '16', storage: 'lots' } });
    const d = compile(mesh).diagnostics.find((x) => x.message.includes('Postgres shop/db'))!;
    expect(d.location).toBe(`test/typegen.test.ts:${Number(line) + 1}`);
    expect(d.constructPath).toBe('webshop/workspace/db');
  });
});
