/**
 * The seed's "Kube to Kube" scenario with kube-bind: a provider cluster offers its Postgres API
 * through a kube-bind backend; a consumer cluster binds it. Consumers create Postgres objects
 * locally, they sync to the provider, and the connection Secret syncs back.
 *
 * GitOps-friendly by default: the backend runs without the browser flow (--frontend-disabled)
 * and admits the consumer with a BindableResourcesRequest; the kubeconfig it issues is handed
 * to the consumer cluster as a Secret, referenced here by name and never written to Git.
 */
import { Mesh, Team } from 'p2c';

const mesh = new Mesh({ gitops: { repoURL: 'https://git.example.com/platform/mesh.git' } });

const dbProvider = new Team(mesh, 'db-provider', { workspace: false });
const shop = new Team(mesh, 'shop', { workspace: false });

const providerCluster = dbProvider.addCluster('cluster', { name: 'provider', server: 'https://provider.clusters.example.com' });
const consumerCluster = shop.addCluster('cluster', { name: 'consumer', server: 'https://consumer.clusters.example.com' });

const backend = providerCluster.addKubeBindBackend('kube-bind', { prettyName: 'Managed Postgres', externalAddress: 'https://provider.example.com:6443' });
const postgres = backend.offer('postgres', {
  api: 'crds/postgres.yaml',
  claims: [{ resource: 'secrets', reference: 'spec.connectionSecretName' }],
});

consumerCluster.bindWithKubeBind('postgres', { offer: postgres, kubeconfigSecret: 'kubeconfig-provider' });

export default mesh;
