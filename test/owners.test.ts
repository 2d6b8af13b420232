import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, Mesh, Team } from '../src/index.js';
import { codeowners } from '../src/review/codeowners.js';
import { delivered, postgresCrd } from './support/mesh.js';
import { gitRepo } from './support/git.js';
import { p2c } from './support/run.js';
import { repoRoot } from './support/paths.js';

describe('CODEOWNERS from the owners a mesh declares', () => {
  it("maps each team's folders to its owners after the platform's catch-all, and a shared mesh file to the platform", () => {
    const mesh = new Mesh(delivered({ owners: ['@acme/platform'] }));
    const db = new Team(mesh, 'database', { owners: ['@acme/db', 'dba@example.com'] });
    const shop = new Team(mesh, 'webshop');
    const api = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://db.example.com' }), crd: postgresCrd });
    shop.bind('postgres', { api, acceptClaims: ['events'] });
    const c = compile(mesh);
    expect(c.diagnostics).toEqual([]);
    const lines = codeowners(c.mesh, [...c.layout.folders.keys()], 'deploy', repoRoot, repoRoot).split('\n');
    const rules = lines.filter((l) => l && !l.startsWith('#'));
    expect(rules[0]).toBe('/deploy/ @acme/platform');
    expect(rules).toContain('/deploy/kcp/root/team/database/ @acme/db dba@example.com');
    expect(rules).toContain('/deploy/clusters/database/ @acme/db dba@example.com');
    // A team without owners of its own falls to the platform's; this test file declares both teams: the platform's.
    expect(rules).toContain('/deploy/kcp/root/team/webshop/ @acme/platform');
    expect(rules).toContain('/test/owners.test.ts @acme/platform');
    // Later lines win on GitHub and GitLab: the catch-all must come first.
    expect(rules.indexOf('/deploy/ @acme/platform')).toBe(0);
  });

  it('p2c owners --write never overwrites a file it did not write; --check fails when stale', () => {
    const repo = gitRepo();
    const source = "import { Mesh, Team } from 'p2c';\nconst mesh = new Mesh({ owners: ['@acme/platform'], kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { path: 'deploy' } });\nnew Team(mesh, 'database', { owners: ['@acme/db'] });\n";
    fs.writeFileSync(path.join(repo, 'mesh.ts'), source);
    fs.writeFileSync(path.join(repo, 'CODEOWNERS'), '* @someone\n');
    const refused = p2c(['owners', '--no-type-check', 'mesh.ts', '--write', 'CODEOWNERS'], repo);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('CODEOWNERS exists and was not written by p2c');
    expect(fs.readFileSync(path.join(repo, 'CODEOWNERS'), 'utf8')).toBe('* @someone\n');
    fs.rmSync(path.join(repo, 'CODEOWNERS'));
    expect(p2c(['owners', '--no-type-check', 'mesh.ts', '--write', '.github/CODEOWNERS'], repo).status).toBe(0);
    expect(fs.readFileSync(path.join(repo, '.github/CODEOWNERS'), 'utf8')).toContain('/deploy/kcp/root/team/database/ @acme/db');
    expect(p2c(['owners', '--no-type-check', 'mesh.ts', '--check', '.github/CODEOWNERS'], repo).status).toBe(0);
    fs.writeFileSync(path.join(repo, 'mesh.ts'), source.replace("'@acme/db'", "'@acme/dba'"));
    const stale = p2c(['owners', '--no-type-check', 'mesh.ts', '--check', '.github/CODEOWNERS'], repo);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('run p2c owners --write .github/CODEOWNERS');
  });
});
