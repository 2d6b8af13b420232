/**
 * The seed's three teams as accounts of an organization in Platform Mesh, and a provider onboarded the way
 * provider-quickstart is.
 *
 * - `acme` is an organization: an Account of type org in root:orgs, from which account-operator makes root:orgs:acme.
 *   Its teams are accounts in it (p2c writes the Accounts, account-operator the workspaces); everything else
 *   (exports, bindings, clusters) works as for any team.
 * - The platform's own exports (kube-bind.io in root, the portal's ui.platform-mesh.io) are external: bound, never
 *   written. Every account of acme gets kube-bind.io by default, through the `acme-account` WorkspaceType laid out as
 *   account-operator lays it out.
 * - The Wild West provider runs through Platform Mesh's ManagedProvider; its workspace is the one its Provider made,
 *   and it lists its API in the marketplace, open to every authenticated user.
 */
import { InstalledAPI, Mesh, Team } from 'p2c';

const mesh = new Mesh({
  name: 'acme',
  kcp: { frontProxyUrl: 'https://kcp.platform-mesh.example.com' },
  gitops: { engines: ['argocd'], repoURL: 'https://git.example.com/acme/platform.git', revision: 'main' },
  owners: ['@acme/platform'],
});

// The platform's exports, as Platform Mesh installs them.
const kubeBind = mesh.externalExport('kube-bind', { path: 'root', name: 'kube-bind.io', claims: [{ group: '', resource: 'secrets' }, { group: '', resource: 'namespaces' }] });
const portal = mesh.externalExport('portal', {
  path: 'root:platform-mesh-system', name: 'ui.platform-mesh.io',
  resources: [{ group: 'ui.platform-mesh.io', kind: 'ProviderMetadata' }, { group: 'ui.platform-mesh.io', kind: 'ContentConfiguration' }],
});

const acme = mesh.organization('acme', {
  displayName: 'ACME Corp',
  defaultAPIBindings: [{ api: kubeBind, acceptClaims: ['secrets', 'namespaces'] }],
});

const database = acme.addTeam('database', { account: { displayName: 'Database team' }, owners: ['@acme/database'] });
const observability = acme.addTeam('observability', { account: { displayName: 'Observability team' } });
const webshop = acme.addTeam('webshop', { account: { displayName: 'Webshop team' } });
webshop.addAccount('staging', { displayName: 'Webshop staging' });

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

// The portal's label on the Postgres export, through the one mechanism for labels on generated objects.
mesh.addMetadata(postgres, { labels: { 'ui.platform-mesh.io/content-for': 'postgres' }, kinds: ['APIExport'] });

// The Wild West provider, onboarded with a ManagedProvider in the platform's runtime cluster.
const platform = new Team(mesh, 'platform', { workspace: false });
const runtime = platform.addCluster('runtime', { name: 'platform', server: 'https://platform.clusters.example.com' });
new InstalledAPI(runtime, 'platform-mesh-operator', { group: 'providers.platform-mesh.io', kinds: ['ManagedProvider'], versions: ['v1alpha1'] });

const wildwest = new Team(mesh, 'wildwest', { workspace: 'root:providers:wildwest-2h7f6kq3', externalWorkspace: true });
wildwest.bind('portal', { api: portal, acceptClaims: [] });
const kubeconfig = { secretName: 'wildwest-provider-kubeconfig', secretKey: 'kubeconfig' };
const cowboys = wildwest.addOperator('wildwest', {
  crd: '../upstream/provider-quickstart/crds/cowboys.yaml',
  exportName: 'wildwest.platform-mesh.io',
  claims: [{ group: '', resource: 'events', verbs: ['*'] }],
  deployedBy: {
    managedProvider: {
      cluster: runtime,
      charts: [
        { chart: 'wildwest-controller', registry: 'ghcr.io/platform-mesh/provider-quickstart/charts', version: '0.0.9', values: { kubeconfig, controller: { endpointSlice: 'wildwest.platform-mesh.io' } } },
        { chart: 'wildwest-portal', registry: 'ghcr.io/platform-mesh/provider-quickstart/charts', version: '0.0.9', values: { httpRoute: { enabled: true } } },
      ],
    },
  },
  marketplace: {
    providerMetadata: { displayName: 'Wild West Provider', description: 'Cowboys as a service', contacts: [{ displayName: 'Wild West Team', email: 'wildwest@example.com', role: ['Maintainer'] }] },
    contentConfigurations: [{ name: 'cowboys-ui', entity: 'core_platform-mesh_io_account', spec: { inlineConfiguration: { contentType: 'json', content: '{"name":"cowboys"}' } } }],
    openTo: 'authenticated',
  },
});
webshop.bind('cowboys', { api: cowboys, acceptClaims: ['events'] });

export default mesh;
