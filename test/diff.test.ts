import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { p2c } from './support/run.js';
import { git, gitRepo, meshSource } from './support/git.js';

function twoOutputs() {
  const repo = gitRepo();
  fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
  expect(p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'base', '--gitops', 'none'], repo).status).toBe(0);
  fs.writeFileSync(path.join(repo, 'mesh2.ts'), meshSource({ state: 'Rejected' }));
  expect(p2c(['synth', '--no-type-check', 'mesh2.ts', '--out', 'head', '--gitops', 'none'], repo).status).toBe(0);
  return repo;
}

describe('p2c diff', () => {
  it('names the APIBinding, the field and both values (text)', () => {
    const repo = twoOutputs();
    const r = p2c(['diff', 'base', 'head'], repo);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      '0 added, 1 changed, 0 removed',
      '',
      'access (1):',
      '  workspace root:team:webshop now rejects the secrets claim of APIExport root:team:database:database.example.com (was Accepted)',
      '',
      'workspace root:team:webshop',
      '  ~ APIBinding database.example.com',
      '      spec.permissionClaims[secrets].state: Accepted → Rejected',
      '',
    ].join('\n'));
  });

  it('markdown is a pull-request comment; json is machine-readable', () => {
    const repo = twoOutputs();
    const md = p2c(['diff', 'base', 'head', '--format', 'markdown'], repo).stdout;
    expect(md).toContain('### p2c: 0 added, 1 changed, 0 removed');
    expect(md).toContain('**workspace root:team:webshop**');
    expect(md).toContain('| ~ | APIBinding `database.example.com` | `spec.permissionClaims[secrets].state`: `Accepted` → `Rejected` |');
    expect(md).toContain('- workspace root:team:webshop now rejects the secrets claim of APIExport root:team:database:database.example.com (was Accepted)');
    const json = JSON.parse(p2c(['diff', 'base', 'head', '--format', 'json'], repo).stdout);
    expect(json.folders[0].objects[0]).toEqual({ kind: 'APIBinding', name: 'database.example.com', change: 'changed', fields: [{ path: 'spec.permissionClaims[secrets].state', before: 'Accepted', after: 'Rejected' }] });
    expect(json.access.claims).toHaveLength(1);
  });

  it('identical outputs report no change; --exit-code exits 1 only on changes', () => {
    const repo = twoOutputs();
    const same = p2c(['diff', 'base', 'base', '--exit-code'], repo);
    expect(same.status).toBe(0);
    expect(same.stdout).toBe('no changes\n');
    expect(p2c(['diff', 'base', 'head', '--exit-code'], repo).status).toBe(1);
  });

  it('compares Git revisions of the output, and reports added and removed objects', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource({ withElastic: false }));
    p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    const r = p2c(['diff', 'HEAD~1', 'HEAD', '--path', 'deploy'], repo);
    expect(r.stdout).toContain('- APIExport observability.example.com');
    expect(r.stdout).toContain('- APIBinding observability.example.com');
    expect(r.stdout).toMatch(/0 added, \d+ changed, \d+ removed/);
    const mixed = p2c(['diff', 'HEAD~1:deploy', 'deploy'], repo);
    expect(mixed.stdout).toBe(r.stdout);
    const bad = p2c(['diff', 'no-such-thing', 'deploy'], repo);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("'no-such-thing' is neither a folder nor a Git revision");
    void git;
  });
});
