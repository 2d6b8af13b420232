import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatPropsSchemas, generatePropsSchemas, propsSchemaFile } from '../src/typegen/props-schema.js';
import { checkProps } from '../constructs/props-check.js';
import { closest } from '../src/model/closest.js';
import { p2c } from './support/run.js';
import { mistakenMesh, project } from './support/project.js';

describe('props schemas', () => {
  it('schemas/props.json is exactly what the props interfaces in constructs/ make (npm run props-schemas)', () => {
    expect(fs.readFileSync(propsSchemaFile, 'utf8')).toBe(formatPropsSchemas(generatePropsSchemas()));
  });

  it('covers every exported construct that takes props', () => {
    const { constructs } = generatePropsSchemas();
    expect(Object.keys(constructs)).toEqual(expect.arrayContaining([
      'Binding', 'ComputeCluster', 'InstalledAPI', 'KubeBindBackend', 'KubeBindBinding', 'KubeBindOffer', 'Mesh', 'Operator',
      'ProvidedAPI', 'ResourceGraph', 'Team', 'Workspace',
    ]));
  });
});

describe('props are checked at run time, by class', () => {
  // The family: every way a value can miss its declared shape, at the top and nested, for several constructs.
  const cases: Array<[string, unknown, RegExp]> = [
    ['Mesh', { kcp: { frontProxyURL: 'x' } }, /unknown property 'kcp\.frontProxyURL'/],
    ['Mesh', { name: 7 }, /'name' must be a string, got number 7/],
    ['Mesh', { gitops: { engines: ['jenkins'] } }, /'gitops\.engines\[0\]' must be 'argocd' or 'flux'/],
    ['Team', { subjects: [{ kind: 'Group' }] }, /missing required property 'subjects\[0\]\.name'/],
    ['Team', { workspace: true }, /'workspace' must be false or a string, got boolean true/],
    ['ComputeCluster', { sever: 'https://x' }, /unknown property 'sever'/],
    ['ComputeCluster', { inCluster: 'yes' }, /'inCluster' must be true or false, got 'yes'/],
    ['Binding', { api: { path: 'root:x', name: 'y' } }, /missing required property 'acceptClaims'/],
    ['Binding', { api: 'postgres', acceptClaims: [] }, /'api' must be a ProvidedAPI or an Operator or an ExternalExport or an ExportReference object, got 'postgres'/],
    ['Binding', { api: { path: 'root:x', name: 'y' }, acceptClaims: 'secrets' }, /'acceptClaims' must be a list/],
    ['ProvidedAPI', { cluster: 'database', crd: 'x.yaml' }, /'cluster' must be a ComputeCluster, got 'database'/],
    ['Mesh', null, /'props' must be an object, got null/],
  ];
  it.each(cases)('%s %j', (className, props, expected) => {
    const problems = checkProps(className, props);
    expect(problems.map((p) => p.message).join('\n')).toMatch(expected);
  });

  it('right props pass, and a subclass instance counts as its class', () => {
    expect(checkProps('Mesh', { kcp: { frontProxyUrl: 'https://kcp' }, gitops: { engines: ['flux'] } })).toEqual([]);
    expect(checkProps('Team', undefined)).toEqual([]);
    class ComputeCluster {}
    class MyCluster extends ComputeCluster {}
    expect(checkProps('ProvidedAPI', { cluster: new MyCluster(), crd: 'x.yaml' })).toEqual([]);
  });

  it('suggests the property a misspelt one was meant to be, and only a close one', () => {
    expect(checkProps('ComputeCluster', { sever: 'x' })[0]?.hint).toBe("did you mean 'server'?");
    expect(checkProps('ComputeCluster', { zzz: 'x' })[0]?.hint).toMatch(/^known properties here: name, server/);
    expect(closest('frontProxyURL', ['frontProxyUrl', 'teamWorkspaceParent'])).toBe('frontProxyUrl');
    expect(closest('refrence', ['reference', 'origin'])).toBe('reference');
    expect(closest('colour', ['name', 'server'])).toBeUndefined();
  });
});

describe('a JavaScript mesh with wrong props', () => {
  it('gets every problem at once at its file:line, exit 1, no stack trace, nothing written', () => {
    const dir = project({ 'mesh.js': mistakenMesh });
    const r = p2c(['synth', 'mesh.js', '--out', 'out'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("mesh.js:2: error P2C035 invalid-props: unknown property 'kcp.frontProxyURL'\n    fix: did you mean 'frontProxyUrl'?");
    expect(r.stderr).toContain("mesh.js:7 [database/cluster]: error P2C035 invalid-props: unknown property 'sever'\n    fix: did you mean 'server'?");
    expect(r.stderr).toContain("mesh.js:8 [database/postgres]: error P2C035 invalid-props: unknown property 'related[0].refrence'\n    fix: did you mean 'reference'?");
    expect(r.stderr).toContain("mesh.js:10 [webshop/postgres]: error P2C035 invalid-props: missing required property 'acceptClaims'");
    expect(r.stderr).toContain('p2c: 4 problems; nothing was written');
    expect(r.stderr).not.toMatch(/\n\s+at |TypeError|internal error/);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });
});
