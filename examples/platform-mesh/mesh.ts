/**
 * The seed's three teams as accounts of an organization in Platform Mesh. The organization `acme` is an
 * Account in root:orgs that account-operator turned into the workspace root:orgs:acme; it is external here
 * (p2c neither creates nor prunes it). Each team is an Account in it: p2c writes the Account, account-operator
 * creates the team's workspace, and everything else (exports, bindings, clusters) works as for any team.
 * The platform's kube-bind.io export in root is bound as an external export.
 */
import { Mesh, Team } from 'p2c';

const mesh = new Mesh({
  name: 'acme',
  kcp: { frontProxyUrl: 'https://kcp.platform-mesh.example.com', teamWorkspaceParent: 'root:orgs:acme' },
  gitops: { engines: ['argocd'], repoURL: 'https://git.example.com/acme/platform.git', revision: 'main' },
  owners: ['@acme/platform'],
});

const account = (displayName: string) => ({ account: { displayName } });
const database = new Team(mesh, 'database', { ...account('Database team'), owners: ['@acme/database'] });
const observability = new Team(mesh, 'observability', account('Observability team'));
const webshop = new Team(mesh, 'webshop', account('Webshop team'));

const databaseCluster = database.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com' });
const observabilityCluster = observability.addCluster('cluster', { name: 'observability', server: 'https://observability.clusters.example.com' });

const connectionSecret = { identifier: 'credentials', origin: 'service', resource: 'secrets' } as const;
const postgres = database.provide('postgres', {
  cluster: databaseCluster,
  crd: '../idp/crds/postgres.yaml',
  related: [{ ...connectionSecret, reference: 'spec.connectionSecretName' }],
  // Names in the service cluster that a reader can follow back to kcp.
  naming: { namespace: '{{ .ClusterName }}', name: '{{ .Object.metadata.name }}' },
});
const elastic = observability.provide('elastic', { cluster: observabilityCluster, crd: '../idp/crds/elastic.yaml', related: [{ ...connectionSecret, reference: 'spec.credentialsSecretName' }] });

observability.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
webshop.bind('postgres', { api: postgres, acceptClaims: ['events', 'namespaces', 'secrets'] });
webshop.bind('elastic', { api: elastic, acceptClaims: ['events', 'namespaces', 'secrets'] });

// The platform's kube-bind export, which observability binds to offer APIs from its workspace.
const kubeBind = mesh.externalExport('kube-bind', { path: 'root', name: 'kube-bind.io', claims: [{ group: '', resource: 'secrets' }, { group: '', resource: 'namespaces' }] });
observability.bind('kube-bind', { api: kubeBind, acceptClaims: ['secrets', 'namespaces'] });

// The portal's metadata on the Postgres export.
mesh.addMetadata(postgres, { labels: { 'ui.platform-mesh.io/content-for': 'postgres' }, kinds: ['APIExport'] });

export default mesh;
