/**
 * multicluster-provider's APIExport bundle, re-expressed: an export in root with permission claims and no API of its
 * own (a controller of configmaps in every bound workspace), a WorkspaceType binding it into every workspace of the
 * type, and three workspaces of that type.
 */
import { Mesh, Team } from 'p2c';

const mesh = new Mesh({
  kcp: { frontProxyUrl: 'https://kcp.example.com', teamWorkspaceParent: 'root' },
  gitops: { repoURL: 'https://git.example.com/platform/mesh.git' },
});

// root exists, and is the platform's: the team writes into it and never creates it.
const platform = new Team(mesh, 'platform', { workspace: 'root', externalWorkspace: true });
const controller = platform.addOperator('controller', {
  exportName: 'examples-apiexport-multicluster',
  deployedBy: 'user',
  claims: [{ group: '', resource: 'configmaps', verbs: ['*'] }, { group: '', resource: 'events', verbs: ['*'] }],
});

const type = mesh.workspaceType('examples-apiexport-multicluster', {
  path: 'root',
  defaultAPIBindings: [{ api: controller, acceptClaims: ['configmaps', 'events'] }],
  defaultChildWorkspaceType: { name: 'universal', path: 'root' },
  extend: [{ name: 'universal', path: 'root' }],
});

for (const name of ['example1', 'example2', 'example3']) new Team(mesh, name, { workspaceType: type.reference });

export default mesh;
