/**
 * The kcp-contrib KubeCon London demo's resources cluster, re-expressed: the database team publishes CloudNativePG
 * Clusters with api-syncagent as `publish-cnpg-cluster`; the superuser Secret a consumer writes in kcp travels with
 * each Cluster (origin kcp), found through spec.superuserSecret.name; copies keep their names in a namespace per workspace.
 */
import { InstalledAPI, Mesh, Team } from 'p2c';

const mesh = new Mesh({
  kcp: { frontProxyUrl: 'https://kcp.example.com' },
  gitops: { repoURL: 'https://git.example.com/platform/mesh.git' },
});

const database = new Team(mesh, 'database');
const resources = database.addCluster('resources', { name: 'resources', server: 'https://resources.clusters.example.com' });
// CloudNativePG's operator installs its CRDs in the resources cluster; p2c does not.
new InstalledAPI(resources, 'cnpg', { crd: 'crds/cnpg-cluster.yaml' });

database.provide('cnpg', {
  cluster: resources,
  crd: 'crds/cnpg-cluster.yaml',
  installCrd: false,
  publish: [{ name: 'publish-cnpg-cluster' }],
  // The names the demo relied on ($remoteClusterName / $remoteName): v0.7.0 would otherwise hash them.
  naming: { namespace: '{{ .ClusterName }}', name: '{{ .Object.metadata.name }}' },
  related: [{ identifier: 'credentials', origin: 'kcp', reference: 'spec.superuserSecret.name' }],
});

export default mesh;
