/**
 * kcp's admission-webhook example, re-expressed: a provider workspace root:provider exports the Cowboy API as
 * `today-cowboys`; a consumer workspace binds it as `cowboys`. The export's schema is p2c's to write (content-hashed
 * name); no controller is deployed here, as upstream deploys none.
 */
import { Mesh, Team } from 'p2c';

const mesh = new Mesh({
  kcp: { frontProxyUrl: 'https://kcp.example.com', teamWorkspaceParent: 'root' },
  gitops: { repoURL: 'https://git.example.com/platform/mesh.git' },
});

const provider = new Team(mesh, 'provider');
const cowboys = provider.addOperator('cowboys', { crd: 'crds/cowboys.yaml', exportName: 'today-cowboys', deployedBy: 'user' });

new Team(mesh, 'consumer').bind('cowboys', { api: cowboys, acceptClaims: [], name: 'cowboys' });

export default mesh;
