import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, Mesh, Team, type MeshProps } from '../src/index.js';
import { delivered, postgresCrd } from './support/mesh.js';
import { git, gitRepo, meshSource } from './support/git.js';
import { p2c, tempDir } from './support/run.js';

/** A provider with a workspace and a cluster: everything an engine must know where to deliver. */
function provider(props: MeshProps, cluster: { server?: string; kubeconfigSecret?: string; inCluster?: boolean } = {}, workspace = true) {
  const mesh = new Mesh(props);
  const t = new Team(mesh, 'database', workspace ? {} : { workspace: false });
  const c = t.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com', ...cluster });
  if (workspace) t.provide('postgres', { cluster: c, crd: postgresCrd });
  return compile(mesh).diagnostics.filter((d) => d.code === 'P2C036' || d.code === 'P2C024');
}

describe('no placeholder ever reaches a GitOps object', () => {
  it('an engine without a repository is an error at the Mesh, with a fix; no engine needs none', () => {
    for (const engines of [['argocd'], ['flux'], ['argocd', 'flux']] as const) {
      const found = provider({ kcp: { frontProxyUrl: 'https://kcp.example.com' }, gitops: { engines: [...engines] } }, { kubeconfigSecret: 'db-kubeconfig' });
      expect(found.map((d) => d.code), engines.join()).toEqual(['P2C036']);
      expect(found[0]!.message).toContain('no gitops.repoURL');
      expect(found[0]!.hint).toContain('git remote add origin');
      expect(found[0]!.location).toMatch(/delivery\.test\.ts:\d+$/);
    }
    expect(provider({ gitops: { engines: [] } })).toEqual([]);
  });

  it('workspaces without the kcp front-proxy URL are an error with any engine; a mesh without workspaces needs none', () => {
    const found = provider({ gitops: { repoURL: 'https://git.example.com/m.git' } });
    expect(found.map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(/^P2C036 .*no kcp front-proxy/)]);
    expect(provider({ gitops: { repoURL: 'https://git.example.com/m.git' } }, {}, false)).toEqual([]);
  });

  it('a cluster without a way in is an error per engine, unless it is the engine\'s own cluster', () => {
    const withFlux = delivered({ gitops: { engines: ['flux'] } });
    expect(provider(withFlux).map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringMatching(/^P2C024 cluster 'database' has no Flux kubeconfig Secret/)]);
    expect(provider(withFlux, { kubeconfigSecret: 'database-kubeconfig' })).toEqual([]);
    expect(provider(withFlux, { inCluster: true })).toEqual([]);
    const withArgo = delivered({ gitops: { engines: ['argocd'] } });
    const noServer = { server: undefined } as unknown as { server?: string };
    expect(provider(withArgo, noServer).map((d) => d.code)).toEqual(['P2C024']);
    expect(provider(withArgo, { ...noServer, inCluster: true })).toEqual([]);
  });
});

describe('what the apps point at comes from the repository, not from --out', () => {
  const gitopsOf = (dir: string) => ['gitops/argocd/manifest.yaml', 'gitops/flux/manifest.yaml'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));

  it("uses the work tree's origin remote as the repository; without one it is P2C036 and nothing is written", () => {
    const repo = gitRepo();
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource().replace("engines: ['flux']", "engines: ['argocd', 'flux']"));
    expect(p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'deploy', '-q'], repo)).toMatchObject({ status: 0, stderr: '' });
    const dist = path.join(repo, 'deploy');
    for (const text of gitopsOf(dist)) expect(text).toContain('https://git.example.com/platform/mesh.git');
    git(repo, 'remote', 'remove', 'origin');
    const r = p2c(['synth', '--no-type-check', 'mesh.ts', '--out', 'other'], repo);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mesh\.ts:\d+: error P2C036 gitops-target: argocd and flux would read the output from no repository/);
    expect(fs.existsSync(path.join(repo, 'other'))).toBe(false);
  });

  it('the same mesh into two --out folders, one of them outside the repository, gives identical GitOps objects', () => {
    const repo = gitRepo();
    // The folder comes from cdk8s.yaml here, not from the mesh.
    fs.writeFileSync(path.join(repo, 'mesh.ts'), meshSource().replace("engines: ['flux'], path: 'deploy'", "engines: ['argocd', 'flux']"));
    fs.writeFileSync(path.join(repo, 'cdk8s.yaml'), 'app: npx p2c synth\noutput: .cdk8s.out\np2c:\n  app: mesh.ts\n  output: deploy\n');
    expect(p2c(['synth', '--no-type-check', '--out', 'deploy', '-q'], repo)).toMatchObject({ status: 0, stderr: '' });
    const elsewhere = path.join(tempDir('p2c-check-'), 'out');
    const check = p2c(['synth', '--no-type-check', '--out', elsewhere, '-q'], repo);
    expect(check.status).toBe(0);
    expect(gitopsOf(elsewhere)).toEqual(gitopsOf(path.join(repo, 'deploy')));
    expect(gitopsOf(elsewhere)[0]).toContain('path: deploy/kcp/root/team/database');
    // Inside the repository but elsewhere than the apps read: said, since the apps would read another folder.
    const moved = p2c(['synth', '--no-type-check', '--out', 'moved', '-q'], repo);
    expect(moved.stderr).toContain('warning: the GitOps apps read deploy/ of the repository, but this output went to moved/');
    expect(gitopsOf(path.join(repo, 'moved'))).toEqual(gitopsOf(path.join(repo, 'deploy')));
  });
});
