import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths.js';
import { tempDir } from './run.js';

/** A project of the user's: its own folder, an ES module package, p2c resolvable by name, the example CRDs. */
export function project(files: Record<string, string>): string {
  const dir = tempDir('p2c-project-');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(repoRoot, path.join(dir, 'node_modules/p2c'));
  fs.cpSync(path.join(repoRoot, 'examples/idp/crds'), path.join(dir, 'crds'), { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * A new team's four mistakes, each on a line of its own: a misspelt optional prop (line 3), a misspelt cluster prop
 * (7), a misspelt nested prop (9), a missing required prop (10). Valid JavaScript and TypeScript alike.
 */
export const mistakenMesh = `import { Mesh, Team } from 'p2c';
const mesh = new Mesh({
  kcp: { frontProxyURL: 'https://kcp.example.com' },
});
const db = new Team(mesh, 'database');
const shop = new Team(mesh, 'webshop');
const cluster = db.addCluster('cluster', { name: 'database', sever: 'https://db.example.com' });
const pg = db.provide('postgres', { cluster, crd: 'crds/postgres.yaml',
  related: [{ identifier: 'credentials', origin: 'service', refrence: 'spec.connectionSecretName' }] });
shop.bind('postgres', { api: pg });
`;
