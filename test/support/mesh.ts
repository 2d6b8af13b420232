import * as path from 'node:path';
import { Mesh, Team, compile, type Diagnostic, type MeshProps } from '../../src/index.js';
import { repoRoot } from './paths.js';

export const postgresCrd = path.join(repoRoot, 'examples/idp/crds/postgres.yaml');
export const elasticCrd = path.join(repoRoot, 'examples/idp/crds/elastic.yaml');

/** Where a test mesh is delivered from and to: GitOps engines need both, and p2c never guesses them. */
export function delivered(props: MeshProps = {}): MeshProps {
  return {
    ...props,
    kcp: { frontProxyUrl: 'https://kcp.example.com', createParents: true, ...props.kcp },
    gitops: { repoURL: 'https://git.example.com/platform/mesh.git', ...props.gitops },
  };
}

/** A two-team mesh (database provides Postgres) to mutate per test. */
export function smallMesh() {
  const mesh = new Mesh(delivered());
  const database = new Team(mesh, 'database');
  const webshop = new Team(mesh, 'webshop');
  const cluster = database.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com' });
  const postgres = database.provide('postgres', {
    cluster, crd: postgresCrd,
    related: [{ identifier: 'credentials', origin: 'service', reference: 'spec.connectionSecretName' }],
  });
  return { mesh, database, webshop, cluster, postgres };
}

export function codes(mesh: Mesh): string[] {
  return compile(mesh).diagnostics.map((d) => `${d.code} ${d.name}`);
}

export function problems(mesh: Mesh): Diagnostic[] {
  return [...compile(mesh).diagnostics];
}
