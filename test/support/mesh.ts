import * as path from 'node:path';
import { Mesh, Team, compile, type Diagnostic } from '../../src/index.js';
import { repoRoot } from './paths.js';

export const postgresCrd = path.join(repoRoot, 'examples/idp/crds/postgres.yaml');
export const elasticCrd = path.join(repoRoot, 'examples/idp/crds/elastic.yaml');

/** A two-team mesh (database provides Postgres) to mutate per test. */
export function smallMesh() {
  const mesh = new Mesh();
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
