import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { p2c } from './support/run.js';
import { git, gitRepo, meshSource } from './support/git.js';

describe('p2c synth --commit', () => {
  it('commits the output with a per-folder summary, and makes no commit when nothing changed', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    const first = p2c(['synth', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/committed [0-9a-f]{12}/);
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^p2c: synthesize mesh 'p2c' \(\d+ added, 0 changed, 0 removed objects\)/);
    expect(message).toContain('- workspace root:team:webshop (kcp/root/team/webshop): 2 added');
    expect(message).toContain('- workspace root:team (kcp/root/team): 3 added');
    expect(message).toContain('- cluster database (clusters/database):');
    const second = p2c(['synth', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
    expect(second.stdout).toContain('nothing changed: no commit');
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(repo, 'status', '--porcelain')).toBe('?? mesh.ts\n');
  });

  it('a removed API\'s files disappear in the next commit; files p2c did not write survive', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    expect(p2c(['synth', 'mesh.ts', '--out', 'deploy', '--commit'], repo).status).toBe(0);
    fs.writeFileSync(path.join(repo, 'deploy/clusters/observability/NOTES.md'), 'ours\n');
    fs.writeFileSync(path.join(repo, 'deploy/README.md'), 'hand-written\n');
    git(repo, 'add', 'deploy/README.md');
    git(repo, 'commit', '-q', '-m', 'docs');
    fs.writeFileSync(path.join(repo, 'staged-elsewhere.txt'), 'not for p2c\n');
    git(repo, 'add', 'staged-elsewhere.txt');
    const elastic = 'deploy/kcp/root/team/observability/manifest.yaml';
    expect(fs.existsSync(path.join(repo, elastic))).toBe(true);

    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource({ withElastic: false }));
    const r = p2c(['synth', 'mesh.ts', '--out', 'deploy', '--commit'], repo);
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
    fs.writeFileSync(path.join(dir, 'mesh.ts'), meshSource());
    const r = p2c(['synth', 'mesh.ts', '--out', 'deploy', '--commit'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not inside a Git work tree');
  });

  it('points GitOps apps at the output folder inside the repository', () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource());
    p2c(['synth', 'mesh.ts', '--out', 'deploy'], repo);
    expect(fs.readFileSync(path.join(repo, 'deploy/gitops/flux/manifest.yaml'), 'utf8')).toContain('path: ./deploy/clusters/database');
  });
});
