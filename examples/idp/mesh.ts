/**
 * The seed's "Kube to kcp to Kube" internal developer platform.
 *
 * Teams database, observability and webshop each own a kcp workspace under root:team and a
 * compute cluster. Database publishes Postgres from its cluster into its workspace with
 * api-syncagent; observability publishes Elastic the same way and binds Postgres; webshop
 * binds both.
 */
import { Mesh, Team } from 'p2c';

const mesh = new Mesh({ kcp: { frontProxyUrl: 'https://kcp.platform.example.com', teamWorkspaceParent: 'root:team' } });

const database = new Team(mesh, 'database');
const observability = new Team(mesh, 'observability');
const webshop = new Team(mesh, 'webshop');

const databaseCluster = database.addCluster('cluster', { name: 'database' });
const observabilityCluster = observability.addCluster('cluster', { name: 'observability' });
webshop.addCluster('cluster', { name: 'webshop' });

// The connection Secret is written by the provider's operator and travels back to the consumer.
const connectionSecret = { identifier: 'credentials', origin: 'service', resource: 'secrets' } as const;

const postgres = database.provide('postgres', {
  cluster: databaseCluster,
  crd: 'crds/postgres.yaml',
  related: [{ ...connectionSecret, reference: 'spec.connectionSecretName' }],
});

const elastic = observability.provide('elastic', {
  cluster: observabilityCluster,
  crd: 'crds/elastic.yaml',
  related: [{ ...connectionSecret, reference: 'spec.credentialsSecretName' }],
});

// Consumers accept every claim explicitly; p2c refuses a binding that leaves one undecided.
const claims = ['events', 'namespaces', 'secrets'];
observability.bind('postgres', { api: postgres, acceptClaims: claims });
webshop.bind('postgres', { api: postgres, acceptClaims: claims });
webshop.bind('elastic', { api: elastic, acceptClaims: claims });

export default mesh;
