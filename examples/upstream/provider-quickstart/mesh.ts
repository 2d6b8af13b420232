/**
 * Platform Mesh's provider-quickstart, re-expressed: the Wild West provider is onboarded with a ManagedProvider that
 * installs its three charts with Flux; its controller works in the provider workspace Platform Mesh made
 * (root:providers:<provider>-<logical cluster>, external here), as the ServiceAccount its chart brings.
 */
import { InstalledAPI, Mesh, Team } from 'p2c';

const mesh = new Mesh({
  kcp: { frontProxyUrl: 'https://kcp.example.com' },
  gitops: { repoURL: 'https://git.example.com/platform/mesh.git' },
});

const platform = new Team(mesh, 'platform', { workspace: false });
const runtime = platform.addCluster('runtime', { name: 'platform', server: 'https://platform.clusters.example.com' });
new InstalledAPI(runtime, 'platform-mesh-operator', { group: 'providers.platform-mesh.io', kinds: ['ManagedProvider'], versions: ['v1alpha1'] });

const kubeconfig = { secretName: 'wildwest-provider-kubeconfig', secretKey: 'kubeconfig' };
const hostAliases = (hostnames: string[]) => ({ enabled: true, entries: [{ ip: '127.0.0.1', hostnames }] });
const registry = 'ghcr.io/platform-mesh/provider-quickstart/charts';

const wildwest = new Team(mesh, 'wildwest', { workspace: 'root:providers:wildwest-2h7f6kq3', externalWorkspace: true });
wildwest.addOperator('wildwest', {
  crd: 'crds/cowboys.yaml',
  exportName: 'wildwest.platform-mesh.io',
  kcpSubject: { kind: 'ServiceAccount', name: 'wildwest-controller', namespace: 'default' },
  claims: [{ group: '', resource: 'events', verbs: ['*'] }],
  // Armaments, served read-only from kcp's cache; the identity key Secret is created beside it, never in Git.
  cached: [{ crd: 'crds/armaments.yaml', identityHash: '2aa635c811395932a55e595f5b1ce91fc25734b0f090ffb81d91e6f73ffbc10b', identitySecret: { name: 'armaments-cr-identity', namespace: 'default' } }],
  deployedBy: {
    managedProvider: {
      cluster: runtime,
      charts: [
        {
          chart: 'wildwest-controller', registry, version: '0.0.9',
          values: {
            kubeconfig,
            controller: { endpointSlice: 'wildwest.platform-mesh.io' },
            init: { enabled: true, kubeconfig, seedWorkspaces: false },
            hostAliases: hostAliases(['root.kcp.localhost', 'kcp.localhost', 'localhost']),
          },
        },
        { chart: 'wildwest-portal', registry, version: '0.0.9', values: { httpRoute: { enabled: true }, middleware: { enabled: true } } },
        {
          chart: 'wildwest-armament-sync', registry, version: '0.0.9',
          values: { kubeconfig, syncer: { interval: '30s' }, hostAliases: hostAliases(['root.kcp.localhost', 'triton.kcp.localhost', 'kcp.localhost', 'localhost']) },
        },
      ],
    },
  },
});

export default mesh;
