/**
 * The seed's internal developer platform, all three parts:
 *
 * 1. Kube to kcp to Kube. Teams database, observability and webshop each own a kcp workspace
 *    under root:team and a compute cluster. Database publishes Postgres from its cluster into
 *    its workspace with api-syncagent; observability publishes Elastic the same way and binds
 *    Postgres; webshop binds both.
 * 2. Tools solution. Observability runs KRO: a graph in its cluster composes an Elastic and a
 *    Postgres instance. Postgres reaches that cluster through kube-bind, with the observability
 *    workspace as the backend; instances flow up to the workspace and on to the database cluster.
 * 3. Operator solution. Webshop serves its own Webshop API from its workspace with a
 *    multicluster-runtime operator that creates Postgres and Elastic instances through the
 *    bindings and deploys the shop into the webshop cluster.
 */
import { ApiObject, Mesh, Team } from 'p2c';
// Typed classes for the APIs' instances, generated from the CRDs with `p2c types` (see README).
import { Webshop } from './types/apis.p2c.ts';

const mesh = new Mesh({
  // root:team is the platform's here, created by p2c; off (the default) it would be external.
  kcp: { frontProxyUrl: 'https://kcp.platform.example.com', teamWorkspaceParent: 'root:team', createParents: true },
  // Both engines, to show both; a real platform picks one.
  gitops: { engines: ['argocd', 'flux'], repoURL: 'https://git.example.com/platform/mesh.git', revision: 'main' },
});

const database = new Team(mesh, 'database');
const observability = new Team(mesh, 'observability');
const webshop = new Team(mesh, 'webshop');

const databaseCluster = database.addCluster('cluster', { name: 'database', server: 'https://database.clusters.example.com', kubeconfigSecret: 'database-kubeconfig' });
const observabilityCluster = observability.addCluster('cluster', { name: 'observability', server: 'https://observability.clusters.example.com', kubeconfigSecret: 'observability-kubeconfig' });
const webshopCluster = webshop.addCluster('cluster', { name: 'webshop', server: 'https://webshop.clusters.example.com', kubeconfigSecret: 'webshop-kubeconfig' });

// The connection Secret is written by the provider's operator and travels back to the consumer.
const connectionSecret = { identifier: 'credentials', origin: 'service', resource: 'secrets' } as const;

const postgres = database.provide('postgres', {
  cluster: databaseCluster,
  crd: 'crds/postgres.yaml',
  related: [{ ...connectionSecret, reference: 'spec.connectionSecretName' }],
  // status.identityHash of the APIExport, as kcp assigned it; anyone claiming Postgres needs it.
  identityHash: '3f1b9c2e7a4d6058b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4',
});

const elastic = observability.provide('elastic', {
  cluster: observabilityCluster,
  crd: 'crds/elastic.yaml',
  related: [{ ...connectionSecret, reference: 'spec.credentialsSecretName' }],
  identityHash: '9a8b7c6d5e4f30211f2e3d4c5b6a79880796a5b4c3d2e1f0a9b8c7d6e5f4a3b2',
});

// Consumers accept every claim explicitly; p2c refuses a binding that leaves one undecided.
const claims = ['events', 'namespaces', 'secrets'];
const observabilityPostgres = observability.bind('postgres', { api: postgres, acceptClaims: claims });
webshop.bind('postgres', { api: postgres, acceptClaims: claims });
webshop.bind('elastic', { api: elastic, acceptClaims: claims });

// Tools solution: the observability workspace is a kube-bind backend for its own cluster, which
// pulls the bound Postgres API down; a KRO graph there composes Elastic and Postgres.
const backend = observabilityCluster.addKubeBindBackend('kube-bind', { kcpWorkspace: observability.workspace! });
const postgresOffer = backend.offer('postgres', {
  api: observabilityPostgres,
  claims: [{ resource: 'secrets', reference: 'spec.connectionSecretName' }],
});
observabilityCluster.bindWithKubeBind('postgres', { offer: postgresOffer, kubeconfigSecret: 'kubeconfig-observability-workspace' });

observabilityCluster.addResourceGraph('stack', {
  schema: {
    apiVersion: 'v1alpha1',
    kind: 'LoggingStack',
    group: 'observability.example.com',
    spec: { name: 'string | required=true', nodes: 'integer | default=3 minimum=1', storage: 'string | default=20Gi' },
    status: { elasticUrl: '${elastic.status.url}', databaseEndpoint: '${database.status.endpoint}' },
  },
  resources: [
    {
      id: 'database',
      template: {
        apiVersion: 'database.example.com/v1alpha1',
        kind: 'Postgres',
        metadata: { name: '${schema.spec.name}-db', namespace: '${schema.metadata.namespace}' },
        spec: { version: '16', storage: '${schema.spec.storage}', connectionSecretName: '${schema.spec.name}-db-conn' },
      },
      readyWhen: ["${database.status.phase == 'Ready'}"],
    },
    {
      id: 'elastic',
      template: {
        apiVersion: 'observability.example.com/v1alpha1',
        kind: 'Elasticsearch',
        metadata: {
          name: '${schema.spec.name}',
          namespace: '${schema.metadata.namespace}',
          annotations: { 'observability.example.com/metadata-store': '${database.status.endpoint}' },
        },
        spec: { nodes: '${schema.spec.nodes}', credentialsSecretName: '${schema.spec.name}-es-conn' },
      },
      readyWhen: ["${elastic.status.phase == 'Ready'}"],
    },
  ],
});

// Operator solution: the Webshop API lives in the webshop workspace; the operator in the
// webshop cluster serves it and creates Postgres and Elastic instances through the bindings.
const webshopOperator = webshop.addOperator('webshop-operator', {
  cluster: webshopCluster,
  crd: 'crds/webshop.yaml',
  image: 'ghcr.io/example/webshop-operator:v0.3.0',
  claims: [
    { api: postgres },
    { api: elastic },
    { group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] },
  ],
});
webshop.bind('webshop', {
  api: webshopOperator,
  acceptClaims: ['postgreses.database.example.com', 'elasticsearches.observability.example.com', 'secrets'],
});

// The instances the seed's diagrams show. A Webshop in the webshop workspace, served by the operator, which
// creates its Postgres and Elastic instances through the bindings; checked against the Webshop CRD at synth.
new Webshop(webshop.workspace!, 'shop', {
  metadata: { name: 'shop', namespace: 'default' },
  spec: { domain: 'shop.example.com', replicas: 2, databaseSize: '20Gi' },
});

// The observability team's logging stack: kro creates its Elastic and its Postgres (which kube-bind carries up to
// the workspace and api-syncagent on to the database cluster).
new ApiObject(observabilityCluster, 'logging', {
  apiVersion: 'observability.example.com/v1alpha1',
  kind: 'LoggingStack',
  metadata: { name: 'logging', namespace: 'default' },
  spec: { name: 'logging', nodes: 3 },
});

export default mesh;
