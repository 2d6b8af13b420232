import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { git, gitRepo, meshSource } from './support/git.js';
import { cli } from './support/paths.js';
import { readTree } from './support/run.js';
import { isProtected, retireAnnotation } from '../src/emit/protection.js';
import type { KubeObject } from '../src/model/mesh.js';

function synth(cwd: string, source: string, ...extra: string[]) {
  fs.writeFileSync(path.join(cwd, 'mesh.ts'), source);
  return spawnSync(process.execPath, [cli, 'synth', '--no-type-check', 'mesh.ts', '--out', 'out', '--gitops', 'argocd,flux', ...extra], { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

function objects(tree: Map<string, string>, folder: string): KubeObject[] {
  const text = tree.get(path.join(folder, 'manifest.yaml'));
  return text ? parseAllDocuments(text).map((d) => d.toJS() as KubeObject) : [];
}

const find = (list: KubeObject[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);

describe('removing a team, its cluster, its API and a binding deletes no data, and says so', () => {
  it('every data-holding object that leaves was protected for both engines, and synth and the commit list it', () => {
    const repo = gitRepo();
    expect(synth(repo, meshSource(), '--commit').status).toBe(0);
    const before = readTree(path.join(repo, 'out'));
    // Team observability goes: its workspace, its cluster, its Elastic API (APIExport, CRD) and webshop's binding of it.
    const r = synth(repo, meshSource({ withElastic: false }), '--commit', '--quiet');
    expect(r.status, r.stderr).toBe(0);
    const expected = [
      ['kcp/root/team', 'Workspace', 'observability'],
      ['kcp/root/team/observability', 'APIExport', 'observability.example.com'],
      ['kcp/root/team/webshop', 'APIBinding', 'observability.example.com'],
      ['clusters/observability', 'CustomResourceDefinition', 'elasticsearches.observability.example.com'],
    ] as const;
    for (const [folder, kind, name] of expected) {
      const old = find(objects(before, folder), kind, name);
      expect(old, `${kind} ${name} was in ${folder}`).toBeDefined();
      // What Argo CD (Prune=false,Delete=false) and Flux (prune: disabled) read on the live object.
      expect(isProtected(old!), `${kind} ${name}`).toBe(true);
      expect(r.stderr).toMatch(new RegExp(`${kind} ${name.replace(/\./g, '\\.')} in .*leaves the output: kept`));
    }
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message).toContain('Data-holding objects leaving the output:');
    for (const [, kind, name] of expected) expect(message).toContain(`${kind} ${name} in`);
    // A reviewer reading `p2c diff` sees them first, in every format.
    const diff = (format: string) => spawnSync(process.execPath, [cli, 'diff', 'HEAD~1', 'HEAD', '--path', 'out', '--format', format], { cwd: repo, encoding: 'utf8' }).stdout;
    const md = diff('markdown');
    expect(md.indexOf('#### 1. ⚠ Deletes or orphans data (6)')).toBeGreaterThan(0);
    expect(md.indexOf('Workspace observability in workspace root:team leaves the output: kept')).toBeLessThan(md.indexOf('#### 2.'));
    expect(diff('text')).toContain('Workspace observability in workspace root:team leaves the output: kept');
    expect(JSON.parse(diff('json')).departures.map((d: { kind: string }) => d.kind).sort()).toEqual(['APIBinding', 'APIExport', 'CustomResourceDefinition', 'CustomResourceDefinition', 'Namespace', 'Workspace']);
  });

  it('the same in the idp example: removing webshop\'s binding of its own Webshop API keeps the APIBinding', () => {
    const repo = gitRepo();
    const idp = fs.readFileSync(path.join(__dirname, '../examples/idp/mesh.ts'), 'utf8');
    fs.cpSync(path.join(__dirname, '../examples/idp/crds'), path.join(repo, 'crds'), { recursive: true });
    fs.cpSync(path.join(__dirname, '../examples/idp/types'), path.join(repo, 'types'), { recursive: true });
    expect(synth(repo, idp).status).toBe(0);
    // The binding goes, and with it the Webshop instance that needs it.
    const without = idp.replace(/webshop\.bind\('webshop', \{[^}]*\}\);/s, '').replace(/new Webshop\([\s\S]*?\n\}\);/, '');
    expect(without).not.toBe(idp);
    const r = synth(repo, without);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('APIBinding webshop.example.com in workspace root:team:webshop leaves the output: kept');
  });
});

describe('the idp example loses its webshop team (workspace, cluster, bindings, operator API), under both engines', () => {
  it('deletes no data: every data-holding object that leaves was protected, and synth and commit list each one', () => {
    const repo = gitRepo();
    const idp = fs.readFileSync(path.join(__dirname, '../examples/idp/mesh.ts'), 'utf8');
    fs.cpSync(path.join(__dirname, '../examples/idp/types'), path.join(repo, 'types'), { recursive: true });
    expect(synth(repo, idp, '--commit').status).toBe(0);
    const before = readTree(path.join(repo, 'out'));
    // Everything from the operator on, and every line naming webshop's team or cluster.
    const without = idp.slice(0, idp.indexOf('// Operator solution')).split('\n').filter((l) => !/\bwebshop(Cluster)?\b[.=]|new Team\(mesh, 'webshop'\)/.test(l)).join('\n') + '\nexport default mesh;\n';
    const r = synth(repo, without, '--commit');
    expect(r.status, r.stderr).toBe(0);
    const after = readTree(path.join(repo, 'out'));
    const leaving = r.stderr.split('\n').filter((l) => l.includes('leaves the output'));
    // At least: its Workspace, its APIBindings, its APIExport, the operator's CRD in its cluster and its namespaces.
    expect(leaving.length).toBeGreaterThanOrEqual(5);
    expect(leaving.every((l) => l.includes(': kept:'))).toBe(true);
    expect(leaving.join('\n')).toContain('Workspace webshop in workspace root:team');
    // Every object of a data-holding kind that was in a folder and is gone now was protected for both engines.
    let checked = 0;
    for (const [file, text] of before) {
      if (!file.endsWith('manifest.yaml') || file.startsWith('gitops/')) continue;
      const folder = path.dirname(file);
      for (const o of parseAllDocuments(text).map((d) => d.toJS() as KubeObject)) {
        if (find(objects(after, folder), o.kind, o.metadata.name)) continue;
        // p2c's data kinds, and the instances of the mesh's own APIs (the Webshop, the LoggingStack).
        if (!['Workspace', 'APIBinding', 'APIExport', 'CustomResourceDefinition', 'Namespace', 'Webshop', 'LoggingStack'].includes(o.kind)) continue;
        expect(isProtected(o), `${o.kind} ${o.metadata.name} in ${folder}`).toBe(true);
        expect(r.stderr).toContain(`${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} in`);
        checked++;
      }
    }
    expect(checked).toBe(leaving.length);
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('Workspace webshop in workspace root:team leaves the output: kept');
  });
});

describe('mesh.retire: deleting on purpose takes two reviewed steps', () => {
  const retiring = (source: string) => `${source}\nmesh.retire(obs, 'observability moves to the new org');\n`;

  it('step one unprotects and annotates; step two removes, and synth says GitOps deletes it', () => {
    const repo = gitRepo();
    expect(synth(repo, meshSource(), '--commit').status).toBe(0);
    const one = synth(repo, retiring(meshSource()), '--commit');
    expect(one.status, one.stderr).toBe(0);
    const tree = readTree(path.join(repo, 'out'));
    const ws = find(objects(tree, 'kcp/root/team'), 'Workspace', 'observability')!;
    expect(isProtected(ws)).toBe(false);
    expect(ws.metadata.annotations?.[retireAnnotation]).toBe('observability moves to the new org');
    expect(find(objects(tree, 'clusters/observability'), 'CustomResourceDefinition', 'elasticsearches.observability.example.com')!.metadata.annotations?.[retireAnnotation]).toBeDefined();
    // Objects of other teams keep their protection; so does the shared parent workspace.
    expect(isProtected(find(objects(tree, 'kcp/root/team'), 'Workspace', 'webshop')!)).toBe(true);
    expect(isProtected(find(objects(tree, 'kcp/root'), 'Workspace', 'team')!)).toBe(true);
    expect(isProtected(find(objects(tree, 'kcp/root/team/webshop'), 'APIBinding', 'database.example.com')!)).toBe(true);

    const two = synth(repo, meshSource({ withElastic: false }), '--commit');
    expect(two.status, two.stderr).toBe(0);
    expect(two.stderr).toContain('Workspace observability in workspace root:team leaves the output: retired: GitOps deletes it, and everything it holds (observability moves to the new org)');
    expect(git(repo, 'log', '-1', '--format=%B')).toContain('retired: GitOps deletes it');
  });

  it('retire names a construct of this mesh, with a reason', () => {
    const repo = gitRepo();
    const r = synth(repo, `${meshSource()}\nmesh.retire(obs, '  ');\nmesh.retire(mesh, 'everything');\n`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('retire() needs a reason');
    expect(r.stderr).toContain('retire() names the whole mesh');
    expect(r.stderr).toMatch(/mesh\.ts:\d+/);
  });
});

describe('a change the API server would refuse is an error, and nothing is written', () => {
  it('a team workspace given another WorkspaceType: P2C025 with a fix line', () => {
    const repo = gitRepo();
    expect(synth(repo, meshSource()).status).toBe(0);
    const before = readTree(path.join(repo, 'out'));
    const changed = meshSource().replace("new Team(mesh, 'webshop')", "new Team(mesh, 'webshop', { workspaceType: { name: 'universal', path: 'root' } })");
    expect(changed).not.toBe(meshSource());
    const r = synth(repo, changed);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error P2C025 immutable-field: Workspace webshop in workspace root:team changes \/spec\/type: /);
    expect(r.stderr).toContain('fix: give it a new name instead');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(path.join(repo, 'out'))).toEqual(before);
  });
});

describe('an object kept in the cluster is remembered', () => {
  it('declaring it again with a changed immutable field fails, even two synths later', () => {
    const repo = gitRepo();
    expect(synth(repo, meshSource(), '--commit').status).toBe(0);
    const gone = synth(repo, meshSource({ withElastic: false }), '--commit');
    expect(gone.status, gone.stderr).toBe(0);
    const ledger = JSON.parse(fs.readFileSync(path.join(repo, 'out/.p2c/kept.json'), 'utf8')) as { kept: Array<{ folder: string; object: KubeObject }> };
    expect(ledger.kept.map((e) => `${e.folder} ${e.object.kind} ${e.object.metadata.name}`)).toContain('kcp/root/team Workspace observability');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).toContain('out/.p2c/kept.json');
    const before = readTree(path.join(repo, 'out'));
    const back = synth(repo, meshSource().replace("new Team(mesh, 'observability')", "new Team(mesh, 'observability', { workspaceType: { name: 'universal', path: 'root' } })"));
    expect(back.status).toBe(1);
    expect(back.stderr).toMatch(/P2C025 immutable-field: Workspace observability in workspace root:team changes \/spec\/type.*kept there when it left the output earlier/);
    expect(readTree(path.join(repo, 'out'))).toEqual(before);
    // Declared again unchanged, it is managed again and leaves the ledger.
    expect(synth(repo, meshSource()).status).toBe(0);
    const after = fs.existsSync(path.join(repo, 'out/.p2c/kept.json')) ? fs.readFileSync(path.join(repo, 'out/.p2c/kept.json'), 'utf8') : '';
    expect(after).not.toContain('"observability"');
  });
});
