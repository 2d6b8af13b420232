import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot, packageVersion } from '../package-info.js';
import { projectConfigText } from './entry.js';

export type ModuleSystem = 'esm' | 'commonjs';

/** A small working mesh: a provider team publishes Postgres from its cluster, a consumer binds it. */
const meshProgram = `/**
 * Your mesh. Each team owns a kcp workspace and compute clusters; providers publish APIs from their
 * clusters into their workspace (api-syncagent), consumers bind them. \`npx p2c synth\` checks it all
 * and writes, per workspace and per cluster, what each needs into dist/.
 */
import { Mesh, Team } from 'p2c';

const mesh = new Mesh({
  kcp: { frontProxyUrl: 'https://kcp.example.com', teamWorkspaceParent: 'root:team' },
  gitops: { engines: ['argocd'], repoURL: 'https://git.example.com/platform/mesh.git', revision: 'main' },
});

const database = new Team(mesh, 'database');
const webshop = new Team(mesh, 'webshop');

const databaseCluster = database.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com' });

// The connection Secret is written by the provider's operator and travels back to the consumer.
const postgres = database.provide('postgres', {
  cluster: databaseCluster,
  crd: 'crds/postgres.yaml',
  related: [{ identifier: 'credentials', origin: 'service', resource: 'secrets', reference: 'spec.connectionSecretName' }],
});

// Every claim the export makes is accepted or rejected here: p2c never accepts on your behalf.
webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });

export default mesh;
`;

const postgresCrd = `# The API the database team provides: its instances are created by consumers in kcp and
# synced to the database cluster by api-syncagent, where an operator serves them.
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: postgresdatabases.database.example.com
spec:
  group: database.example.com
  names:
    kind: PostgresDatabase
    listKind: PostgresDatabaseList
    plural: postgresdatabases
    singular: postgresdatabase
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [version]
              properties:
                version:
                  type: string
                  enum: ['15', '16', '17']
                storage:
                  type: string
                  default: 10Gi
                connectionSecretName:
                  type: string
                  description: Secret the operator writes the connection details into.
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
      subresources:
        status: {}
`;

const workflow = `# The rendered-manifests pattern: the output p2c generates is committed in the pull request with the
# mesh change, so reviewers see the YAML Argo CD or Flux will apply. This fails when it is stale, posts
# a review (data leaving, access, contract changes, then every change) and fails on a contract change
# that breaks consumers unless the provider marked it intended.
name: p2c
on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read
  pull-requests: write

jobs:
  mesh:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm
      - run: npm ci
      # Type-checks and checks the whole mesh; on any problem it prints each one with file:line and writes nothing.
      - run: npx p2c synth
      - name: The committed output is what the mesh makes
        run: |
          if [ -n "$(git status --porcelain -- dist)" ]; then
            git status --short -- dist
            echo "::error::dist is stale: run npx p2c synth and commit the result"
            exit 1
          fi
      - name: Review against the base branch
        id: review
        if: github.event_name == 'pull_request'
        run: |
          code=0
          npx p2c diff "origin/\${{ github.base_ref }}:dist" dist --format markdown --exit-code > p2c-review.md || code=$?
          echo "code=$code" >> "$GITHUB_OUTPUT"
          if [ "$code" != 0 ] && [ "$code" != 1 ] && [ "$code" != 3 ]; then exit "$code"; fi
      - name: Post the review
        if: github.event_name == 'pull_request'
        env:
          GH_TOKEN: \${{ github.token }}
        run: gh pr comment "\${{ github.event.pull_request.number }}" --body-file p2c-review.md --edit-last || gh pr comment "\${{ github.event.pull_request.number }}" --body-file p2c-review.md
      - name: Fail on a breaking contract change not marked intended
        if: github.event_name == 'pull_request' && steps.review.outputs.code == '3'
        run: exit 1
`;

function packageJson(name: string, moduleSystem: ModuleSystem): string {
  const own = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  return JSON.stringify({
    name,
    version: '0.1.0',
    private: true,
    type: moduleSystem === 'esm' ? 'module' : 'commonjs',
    scripts: { synth: 'p2c synth', validate: 'p2c validate', typecheck: 'tsc --noEmit' },
    dependencies: { p2c: `^${packageVersion}`, ...own.peerDependencies },
  }, null, 2) + '\n';
}

// What a consumer's own `tsc --noEmit` is held to; p2c type-checks the mesh with this file too.
const tsconfig = JSON.stringify({
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  },
  include: ['*.ts', 'types'],
}, null, 2) + '\n';

/** The files `p2c init` writes, by path inside the new repository. */
export function scaffold(name: string, moduleSystem: ModuleSystem): Map<string, string> {
  return new Map([
    ['package.json', packageJson(name, moduleSystem)],
    ['tsconfig.json', tsconfig],
    ['mesh.ts', meshProgram],
    ['crds/postgres.yaml', postgresCrd],
    ['cdk8s.yaml', projectConfigText('mesh.ts', 'dist')],
    ['.gitignore', 'node_modules/\n.cdk8s.out/\n'],
    ['.github/workflows/p2c.yaml', workflow],
  ]);
}

/** npm's rule for a package name, applied to the folder's name. */
function packageName(dir: string): string {
  return path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'platform-mesh';
}

/** Writes the scaffold into `dir`; refuses, writing nothing, if any of its files is already there. */
export function initProject(dir: string, moduleSystem: ModuleSystem): string[] {
  const files = scaffold(packageName(dir), moduleSystem);
  const present = [...files.keys()].filter((f) => fs.existsSync(path.join(dir, f)));
  if (present.length) throw new InitError(`${dir} already has ${present.join(', ')}; p2c init writes only into a folder without them`);
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return [...files.keys()];
}

export class InitError extends Error {}
