import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths.js';
import { tempDir } from './run.js';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
}

/** A fresh Git repository with an initial commit and an origin remote, and p2c resolvable from its mesh files. */
export function gitRepo(): string {
  const dir = tempDir('p2c-git-');
  git(dir, 'init', '-q', '-b', 'main');
  // The GitOps apps read the repository from its origin remote when the mesh names none.
  git(dir, 'remote', 'add', 'origin', 'https://git.example.com/platform/mesh.git');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/p2c'));
  fs.cpSync(path.join(repoRoot, 'examples/idp/crds'), path.join(dir, 'crds'), { recursive: true });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

/** A small mesh program; `withElastic: false` drops the observability team, its API and the binding of it. */
export function meshSource(options: { withElastic?: boolean; state?: 'Accepted' | 'Rejected' } = {}): string {
  const withElastic = options.withElastic ?? true;
  return `import { Mesh, Team } from 'p2c';
const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.example.com', createParents: true }, gitops: { engines: ['flux'], path: 'deploy' } });
const db = new Team(mesh, 'database');
${withElastic ? "const obs = new Team(mesh, 'observability');" : ''}
const shop = new Team(mesh, 'webshop');
const pg = db.provide('postgres', { cluster: db.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com', kubeconfigSecret: 'database-kubeconfig' }), crd: 'crds/postgres.yaml',
  related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName' }] });
shop.bind('postgres', { api: pg, acceptClaims: ['events', 'namespaces'${options.state === 'Rejected' ? '' : ", 'secrets'"}]${options.state === 'Rejected' ? ", rejectClaims: ['secrets']" : ''} });
${withElastic ? `const es = obs.provide('elastic', { cluster: obs.addCluster('cluster', { name: 'observability', server: 'https://observability.clusters.example.com', kubeconfigSecret: 'observability-kubeconfig' }), crd: 'crds/elastic.yaml' });
shop.bind('elastic', { api: es, acceptClaims: ['events'] });` : ''}
`;
}
