import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { p2c } from './support/run.js';
import { git, gitRepo, meshSource } from './support/git.js';

describe('the commit message counts what the commit changes', () => {
  it('objects and files; a change of layout files alone is said as such, not as nothing', async () => {
    const { commitMessage } = await import('../src/review/commit.js');
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: x\ndata:\n  k: v\n';
    const before = new Map([['clusters/a/manifest.yaml', manifest], ['clusters/a/kustomization.yaml', 'resources: [manifest.yaml]\n'], ['MESH.md', '# one\n'], ['.p2c/owned.json', '{}']]);
    const layoutOnly = new Map([...before, ['MESH.md', '# two\n']]);
    const message = commitMessage('p2c', before, layoutOnly);
    expect(message.split('\n')[0]).toBe("p2c: synthesize mesh 'p2c' (no object changed; 1 file)");
    expect(message).toContain('- other files: MESH.md');
    const objectChanged = new Map([...layoutOnly, ['clusters/a/manifest.yaml', manifest.replace('k: v', 'k: w')]]);
    expect(commitMessage('p2c', before, objectChanged).split('\n')[0]).toBe("p2c: synthesize mesh 'p2c' (0 added, 1 changed, 0 removed objects in 2 files)");
  });
});

describe('p2c synth --commit', () => {
  it('commits the output with a per-folder summary, and makes no commit when nothing changed', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    const first = p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/committed [0-9a-f]{12}/);
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^p2c: synthesize mesh 'p2c' \(\d+ added, 0 changed, 0 removed objects in \d+ files\)/);
    expect(message).toContain('- workspace root:team:webshop (kcp/root/team/webshop): 2 added');
    expect(message).toContain('- workspace root:team (kcp/root/team): 3 added');
    expect(message).toContain('- cluster database (clusters/database):');
    const second = p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    expect(second.stdout).toContain('nothing changed: no commit');
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(repo, 'status', '--porcelain')).toBe('?? mesh.ts\n');
  });

  it('a removed API\'s files disappear in the next commit; files p2c did not write survive', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    expect(p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo).status).toBe(0);
    fs.writeFileSync(path.join(repo, 'deploy/clusters/observability/NOTES.md'), 'ours\n');
    fs.writeFileSync(path.join(repo, 'deploy/README.md'), 'hand-written\n');
    git(repo, 'add', 'deploy/README.md');
    git(repo, 'commit', '-q', '-m', 'docs');
    fs.writeFileSync(path.join(repo, 'staged-elsewhere.txt'), 'not for p2c\n');
    git(repo, 'add', 'staged-elsewhere.txt');
    const elastic = 'deploy/kcp/root/team/observability/manifest.yaml';
    expect(fs.existsSync(path.join(repo, elastic))).toBe(true);

    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource({ withElastic: false }));
    const r = p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(repo, elastic))).toBe(false);
    expect(git(repo, 'ls-files', elastic)).toBe('');
    expect(git(repo, 'log', '-1', '--format=%B')).toMatch(/removed/);
    expect(fs.readFileSync(path.join(repo, 'deploy/clusters/observability/NOTES.md'), 'utf8')).toBe('ours\n');
    expect(fs.readFileSync(path.join(repo, 'deploy/README.md'), 'utf8')).toBe('hand-written\n');
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD')).not.toContain('staged-elsewhere.txt');
    expect(git(repo, 'diff', '--cached', '--name-only')).toBe('staged-elsewhere.txt\n');
  });

  it('outside a Git work tree --commit fails clearly', () => {
    const dir = gitRepo();
    fs.rmSync(path.join(dir, '.git'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'mesh.ts'), meshSource().replace("path: 'deploy'", "path: 'deploy', repoURL: 'https://git.example.com/platform/mesh.git'"));
    const r = p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not inside a Git work tree');
  });

  it('points GitOps apps at the mesh\'s folder in the repository (gitops.path)', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy'], repo);
    expect(fs.readFileSync(path.join(repo, 'deploy/gitops/flux/manifest.yaml'), 'utf8')).toContain('path: ./deploy/clusters/database');
  });
});

describe('the commit message describes the commit, not the last write', () => {
  it('a change written by an earlier synth without --commit is still summarized, departures included', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    expect(p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo).status).toBe(0);
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource({ withElastic: false }));
    expect(p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy'], repo).status).toBe(0);
    const r = p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    expect(r.stdout).toMatch(/committed/);
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message).toMatch(/\d+ removed objects/);
    expect(message).not.toContain('0 added, 0 changed, 0 removed');
    expect(message).toContain('Workspace observability in workspace root:team leaves the output: kept');
  });

  it('concurrent synths with --commit: every commit message matches what that commit changed', async () => {
    const { spawn } = await import('node:child_process');
    const { cli } = await import('./support/paths.js');
    const { commitMessage } = await import('../src/review/commit.js');
    const { readRevision } = await import('../src/review/tree.js');
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'a.ts'), meshSource());
    fs.writeFileSync(path.join(repo, 'b.ts'), meshSource({ withElastic: false }));
    const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
    for (let round = 0; round < 2; round++) {
      const runs = ['a.ts', 'b.ts', 'a.ts', 'b.ts'].map((mesh) => new Promise<{ code: number | null; err: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, 'synth', '--no-type-check', mesh, '--out', 'deploy', '--commit', '--quiet'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => resolve({ code, err }));
      }));
      for (const r of await Promise.all(runs)) {
        expect(r.code, r.err).toBe(0);
        expect(r.err).not.toContain('internal error');
      }
    }
    const commits = git(repo, 'rev-list', 'HEAD').trim().split('\n').slice(0, -1); // all but the initial one
    expect(commits.length).toBeGreaterThan(1);
    for (const c of commits) {
      const before = readRevision(`${c}~1`, 'deploy', repo);
      const after = readRevision(c, 'deploy', repo);
      expect(git(repo, 'log', '-1', '--format=%B', c).trim(), c).toBe(commitMessage('p2c', before, after).trim());
    }
    expect(git(repo, 'status', '--porcelain', '--', 'deploy')).toBe('');
  }, 120_000);
});
