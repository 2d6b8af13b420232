/**
 * Kube to kcp to Kube, proven on real kcp, kube-apiserver and api-syncagent (examples/idp): p2c's output applied as
 * Argo CD applies it, the manual prerequisites done as MESH.md says, the agents run as the ServiceAccounts p2c's RBAC
 * was written for.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { repoRoot } from '../support/paths.ts';
import { p2c, readTree } from '../support/run.ts';
import { applyFolder, applyWhenServed, argoApps, getObject, healthScripts, kubectl, readYaml, type App, type KubeObject } from './harness/apply.ts';
import { syncWithPrune, type Inventory } from './harness/prune.ts';
import { bindPlatformKubeBind } from './harness/kube-bind-platform.ts';
import { moduleDir } from './harness/tools.ts';
import { issuedKubeconfig, kubeconfigSecret, mountedKubeconfig, serviceAccountKubeconfig, synth, withFlags, workload } from './harness/scenario.ts';
import { freePort, start, startCluster, startKcp, stop, stopAll, tail, until, writeKubeconfig, type Process, type Server } from './harness/servers.ts';

const bins = inject('liveBinaries');
const root = join(repoRoot, 'scratch', 'live-idp');
const frontProxy = 'https://kcp.platform.example.com';

let kcp: Server;
const clusters = new Map<string, Server>();
const agents: Process[] = [];
let out: string;
/** The example with kcp's real identity hashes, once the webshop test made it. */
let realMesh: string | undefined;

/** The loopback kubeconfig (admin) an Argo CD destination URL stands for. */
function adminFor(server: string): string {
  if (server.startsWith(`${frontProxy}/clusters/`)) return workspaceAdmin(server.slice(`${frontProxy}/clusters/`.length));
  const name = /^https:\/\/([^.]+)\.clusters\.example\.com$/.exec(server)?.[1];
  const cluster = name && clusters.get(name);
  if (!cluster) throw new Error(`no live server for destination ${server}`);
  return cluster.adminKubeconfig;
}

function workspaceAdmin(path: string): string {
  const token = /token: (\S+)/.exec(readFileSync(kcp.adminKubeconfig, 'utf8'))![1]!;
  return writeKubeconfig(join(root, `kcp-${path}.kubeconfig`), `${kcp.url}/clusters/${path}`, token);
}

const logs = () => agents.map((a) => tail(a)).join('\n');

/** What each Application applied, as Argo CD tracks it; the prune test compares the next revision with it. */
const inventory: Inventory = new Map();

async function applyApps(apps: App[], scripts: Map<string, string>): Promise<void> {
  for (const app of apps) {
    inventory.set(app.name, { app, objects: await applyFolder(app.folder, adminFor(app.server), scripts, { explain: logs }) });
  }
}

/** Starts the api-syncagent p2c deploys in a cluster, with the Deployment's own arguments. */
async function startAgent(cluster: string): Promise<Process> {
  const agent = workload(join(out, 'clusters', cluster), (d) => d.metadata.labels?.['app.kubernetes.io/name'] === 'api-syncagent');
  const server = clusters.get(cluster)!;
  const dir = join(root, `agent-${cluster}`);
  mkdirSync(dir, { recursive: true });
  // The Secret MESH.md's prerequisite made is what the Deployment mounts at /etc/kcp; here it is read back from the
  // cluster, so the step is proven, and handed to the agent by the same path flag, pointed at a local file.
  const kcpKubeconfig = mountedKubeconfig(server.adminKubeconfig, agent.namespace, 'kcp-kubeconfig', join(dir, 'kcp.kubeconfig'));
  const local = serviceAccountKubeconfig(server.adminKubeconfig, server.url, agent.namespace, agent.serviceAccount, join(dir, 'in-cluster.kubeconfig'));
  // Each pod has its own network; local processes share one, so each gets its own metrics and probe ports.
  const args = withFlags(agent.args, {
    '--kcp-kubeconfig': kcpKubeconfig, '--kubeconfig': local,
    '--metrics-address': `127.0.0.1:${await freePort()}`, '--health-address': `127.0.0.1:${await freePort()}`,
  });
  const process = start(`api-syncagent-${cluster}`, bins['api-syncagent']!, args, dir, agent.env);
  agents.push(process);
  return process;
}

/** MESH.md prerequisite: the agent's kcp kubeconfig, the workspace ServiceAccount's token, as a Secret. */
function agentKcpSecret(cluster: string, workspace: string, serviceAccount: string): void {
  const admin = workspaceAdmin(workspace);
  const file = serviceAccountKubeconfig(admin, `${kcp.url}/clusters/${workspace}`, 'default', serviceAccount, join(root, `${cluster}-kcp-sa.kubeconfig`));
  kubeconfigSecret(clusters.get(cluster)!.adminKubeconfig, 'kcp-api-syncagent', 'kcp-kubeconfig', file);
}

describe('Kube to kcp to Kube with api-syncagent (examples/idp)', () => {
  let apps: App[];
  let scripts: Map<string, string>;

  beforeAll(async () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    out = join(root, 'dist');
    synth(join(repoRoot, 'examples/idp/mesh.ts'), out);
    kcp = await startKcp(bins, root);
    for (const name of ['database', 'observability', 'webshop']) clusters.set(name, await startCluster(name, bins, root));
    apps = argoApps(out);
    scripts = healthScripts(out);
  }, 600_000);

  afterAll(async () => {
    await stopAll();
  }, 60_000);

  it('applies the provider workspaces and clusters; the agents fill the APIExports with the published kinds', async () => {
    const providerFolders = ['kcp/root', 'kcp/root/team', 'kcp/root/team/database', 'clusters/database'];
    await applyApps(apps.filter((a) => providerFolders.some((f) => a.folder === join(out, f))), scripts);
    agentKcpSecret('database', 'root:team:database', 'database-postgres');
    await startAgent('database');
    const database = workspaceAdmin('root:team:database');
    const exportObject = { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'database.example.com' } } as KubeObject;
    const filled = await until('the agent to publish Postgres into APIExport database.example.com', () => {
      const live = getObject(database, exportObject);
      const resources = (live?.['spec'] as { resources?: { name: string; group: string }[] })?.resources ?? [];
      return resources.find((r) => r.name === 'postgreses' && r.group === 'database.example.com');
    }, 180_000, logs);
    expect(filled.name).toBe('postgreses');
  }, 600_000);
  it('binds Postgres in a consumer workspace; an instance there reaches the database cluster, its status and Secret come back', async () => {
    // The observability workspace binds Postgres (its core claims need no identity hash); Bound is its health check.
    // Its folder also holds kube-bind's kinds, served once MESH.md's prerequisite 4 (bind kube-bind.io) is done.
    await bindPlatformKubeBind(workspaceAdmin, 'root:team:observability');
    await applyApps(apps.filter((a) => a.folder === join(out, 'kcp/root/team/observability')), scripts);
    const consumer = workspaceAdmin('root:team:observability');
    const binding = getObject(consumer, { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBinding', metadata: { name: 'database.example.com' } } as KubeObject)!;
    const claims = ((binding['status'] as any)?.appliedPermissionClaims ?? []) as { resource: string }[];
    expect(claims.map((c) => c.resource).sort()).toEqual(['events', 'namespaces', 'secrets']);

    const instance = {
      apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres',
      metadata: { name: 'live', namespace: 'default' },
      spec: { version: '16', storage: '10Gi', connectionSecretName: 'live-conn' },
    } as KubeObject;
    await applyWhenServed(consumer, instance, logs);

    const service = clusters.get('database')!.adminKubeconfig;
    const synced = await until('the agent to create the Postgres in the database cluster', () => {
      const list = JSON.parse(kubectl(service, ['get', 'postgreses.database.example.com', '-A', '-o', 'json'])).items as KubeObject[];
      return list[0];
    }, 120_000, logs);
    expect((synced['spec'] as any).storage).toBe('10Gi');

    // The provider's operator (no pods run here) writes status and the connection Secret beside the object.
    const ns = synced.metadata.namespace!;
    kubectl(service, ['create', 'secret', 'generic', (synced['spec'] as any).connectionSecretName, '-n', ns, '--from-literal=password=s3cret']);
    kubectl(service, ['patch', 'postgreses.database.example.com', synced.metadata.name, '-n', ns, '--subresource=status',
      '--type=merge', '-p', JSON.stringify({ status: { phase: 'Ready', endpoint: 'postgres.database.svc:5432' } })]);

    const back = await until('the status to come back to the consumer workspace', () => {
      const live = getObject(consumer, instance);
      return (live?.['status'] as any)?.phase === 'Ready' ? live : undefined;
    }, 120_000, logs);
    expect((back['status'] as any).endpoint).toBe('postgres.database.svc:5432');
    const secret = await until('the connection Secret to come back', () =>
      getObject(consumer, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'live-conn', namespace: 'default' } } as KubeObject), 120_000, logs);
    expect(Buffer.from((secret['data'] as any).password, 'base64').toString()).toBe('s3cret');
  }, 600_000);

  it('binds Postgres, Elastic and its own Webshop API in the webshop workspace with the real identity hashes', async () => {
    // Elastic is published by the observability cluster's agent (MESH.md prerequisite 2).
    await applyApps(apps.filter((a) => a.folder === join(out, 'clusters/observability')), scripts);
    agentKcpSecret('observability', 'root:team:observability', 'observability-elastic');
    await startAgent('observability');
    const observability = workspaceAdmin('root:team:observability');
    await until('the agent to publish Elasticsearch into APIExport observability.example.com', () => {
      const live = getObject(observability, { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'observability.example.com' } } as KubeObject);
      return ((live?.['spec'] as any)?.resources ?? []).some((r: { name: string }) => r.name === 'elasticsearches') || undefined;
    }, 180_000, logs);

    // The example's identity hashes stand for the ones kcp assigns; a platform writes its own into the mesh. The test
    // does the same to a copy of the example, and only the webshop workspace's folder (which claims them) changes.
    const hashOf = (workspace: string, name: string) => ((getObject(workspaceAdmin(workspace),
      { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name } } as KubeObject)?.['status'] as any)?.identityHash as string);
    const real = { postgres: hashOf('root:team:database', 'database.example.com'), elastic: hashOf('root:team:observability', 'observability.example.com') };
    expect(real.postgres).toMatch(/^[0-9a-f]{64}$/);
    const meshDir = join(root, 'mesh');
    cpSync(join(repoRoot, 'examples/idp'), meshDir, { recursive: true });
    const meshFile = join(meshDir, 'mesh.ts');
    writeFileSync(meshFile, readFileSync(meshFile, 'utf8')
      .replace('3f1b9c2e7a4d6058b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4', real.postgres)
      .replace('9a8b7c6d5e4f30211f2e3d4c5b6a79880796a5b4c3d2e1f0a9b8c7d6e5f4a3b2', real.elastic));
    const realOut = join(root, 'dist-real');
    synth(meshFile, realOut);
    realMesh = meshFile;
    const before = readTree(out);
    // .p2c/ is synth's own bookkeeping about the output folder, not output.
    const changed = [...readTree(realOut)].filter(([file, text]) => !file.startsWith('.p2c/') && before.get(file) !== text)
      .map(([file]) => file);
    expect(changed.sort()).toEqual(['kcp/root/team/webshop/_stage-1/manifest.yaml', 'kcp/root/team/webshop/manifest.yaml']);

    const webshopApps = argoApps(realOut).filter((a) => a.folder.startsWith(join(realOut, 'kcp/root/team/webshop')));
    expect(webshopApps.map((a) => a.name)).toEqual(['kcp.root.team.webshop', 'kcp.root.team.webshop.stage-1', 'kcp.root.team.webshop.stage-2']);
    await applyApps(webshopApps, scripts);
    const webshop = workspaceAdmin('root:team:webshop');
    for (const name of ['database.example.com', 'observability.example.com', 'webshop.example.com']) {
      const binding = getObject(webshop, { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBinding', metadata: { name } } as KubeObject)!;
      expect((binding['status'] as any).phase, name).toBe('Bound');
      const wanted = ((binding['spec'] as any).permissionClaims ?? []).length;
      expect(((binding['status'] as any).appliedPermissionClaims ?? []).length, name).toBe(wanted);
    }
    expect(getObject(webshop, { apiVersion: 'webshop.example.com/v1alpha1', kind: 'Webshop', metadata: { name: 'shop', namespace: 'default' } } as KubeObject)).toBeDefined();
  }, 600_000);

  it('KRO tools solution: a LoggingStack makes kro create its Postgres in the observability cluster, kube-bind carries it '
    + 'to the workspace and api-syncagent to the database cluster; its status comes back and kro creates the Elasticsearch', async () => {
    const cluster = clusters.get('observability')!;
    const observability = workspaceAdmin('root:team:observability');
    // MESH.md prerequisite 5: the backend's kcp kubeconfig, in the platform's kube-bind.io workspace. Its identity is
    // the platform's (p2c writes no kcp RBAC for it); here kcp's admin.
    const platformKubeconfig = workspaceAdmin('root:kube-bind');
    const backend = workload(join(out, 'clusters/observability'), (d) => d.metadata.name === 'kube-bind-backend');
    kubeconfigSecret(cluster.adminKubeconfig, backend.namespace, 'kube-bind-kcp-kubeconfig', platformKubeconfig);
    const dir = join(root, 'kube-bind-backend');
    mkdirSync(dir, { recursive: true });
    const backendKcp = mountedKubeconfig(cluster.adminKubeconfig, backend.namespace, 'kube-bind-kcp-kubeconfig', join(dir, 'kcp.kubeconfig'));
    // The address it writes into issued kubeconfigs is the loopback kcp's, with kcp's CA, as the front proxy's would be.
    agents.push(start('kube-bind-backend', bins['kube-bind-backend']!, withFlags(backend.args, {
      '--kubeconfig': backendKcp, '--listen-address': `127.0.0.1:${await freePort()}`,
      '--external-address': kcp.url, '--external-ca-file': kcp.caFile!,
    }), dir, backend.env));

    // MESH.md prerequisite 6: the kubeconfig the backend issued for the BindableResourcesRequest, handed to the cluster.
    const issued = await issuedKubeconfig(observability, { name: 'observability.database.example.com-binding-response', namespace: 'kube-bind' },
      join(dir, 'issued.kubeconfig'), () => `${JSON.stringify(getObject(observability, { apiVersion: 'kube-bind.io/v1alpha2',
        kind: 'BindableResourcesRequest', metadata: { name: 'observability.database.example.com', namespace: 'kube-bind' } })?.['status'])}\n${logs()}`);
    kubeconfigSecret(cluster.adminKubeconfig, 'kube-bind', 'kubeconfig-observability-workspace', issued);

    // MESH.md prerequisite 7: the export request, in the namespace p2c predicted the backend makes for this cluster.
    const requestFile = join(out, 'prerequisites/kube-bind-observability-database.example.com.yaml');
    const request = readYaml(readFileSync(requestFile, 'utf8'))[0]!;
    kubectl(observability, ['apply', '-f', requestFile]);
    const done = await until('the APIServiceExportRequest to succeed', () => {
      const live = getObject(observability, request);
      return (live?.['status'] as any)?.phase === 'Succeeded' ? live : undefined;
    }, 120_000, logs);
    expect(done.metadata.namespace).toBe(request.metadata.namespace);

    const konnector = workload(join(out, 'clusters/observability'), (d) => d.metadata.name === 'konnector');
    const konnectorKubeconfig = serviceAccountKubeconfig(cluster.adminKubeconfig, cluster.url, konnector.namespace,
      konnector.serviceAccount, join(root, 'konnector-observability.kubeconfig'));
    agents.push(start('konnector', bins.konnector!, withFlags(konnector.args, { '--kubeconfig': konnectorKubeconfig }),
      join(root, 'konnector'), konnector.env));
    await applyApps(apps.filter((a) => a.folder === join(out, 'clusters/observability/_stage-1')), scripts);
    await until('the Postgres CRD kube-bind makes in the observability cluster', () => getObject(cluster.adminKubeconfig,
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'postgreses.database.example.com' } } as KubeObject),
    120_000, logs);

    // MESH.md prerequisite 8: kro runs in the cluster (installed by the platform: its CRDs from its module, its
    // controller as cluster admin, as its chart binds it).
    const kroCrds = join(moduleDir('kro', 'github.com/kubernetes-sigs/kro'), 'helm', 'crds');
    kubectl(cluster.adminKubeconfig, ['apply', '--server-side', '-f', kroCrds]);
    agents.push(start('kro', bins.kro!, [`--metrics-bind-address=127.0.0.1:${await freePort()}`,
      `--health-probe-bind-address=127.0.0.1:${await freePort()}`], join(root, 'kro'), { KUBECONFIG: cluster.adminKubeconfig }));
    await applyApps(apps.filter((a) => a.folder === join(out, 'clusters/observability/_stage-2')), scripts);
    await until('kro to make the LoggingStack CRD', () => getObject(cluster.adminKubeconfig,
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'loggingstacks.observability.example.com' } } as KubeObject),
    120_000, logs);
    await applyApps(apps.filter((a) => a.folder === join(out, 'clusters/observability/_stage-3')), scripts);

    const made = await until('kro to create the stack\'s Postgres in the observability cluster', () => getObject(cluster.adminKubeconfig,
      { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'logging-db', namespace: 'default' } } as KubeObject),
    120_000, logs);
    expect((made['spec'] as any).storage).toBe('20Gi');
    const database = clusters.get('database')!.adminKubeconfig;
    const provided = await until('the Postgres to reach the database cluster through the workspace', () =>
      (JSON.parse(kubectl(database, ['get', 'postgreses.database.example.com', '-A', '-o', 'json'])).items as KubeObject[])
        .find((o) => (o['spec'] as any).connectionSecretName === 'logging-db-conn'), 180_000, logs);

    // The database team's operator (not run: no kubelet) makes it Ready; the status travels back down to kro.
    kubectl(database, ['patch', 'postgreses.database.example.com', provided.metadata.name, '-n', provided.metadata.namespace!,
      '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Ready', endpoint: 'logging-db.database.svc:5432' } })]);
    const search = await until('kro to create the Elasticsearch once its Postgres is Ready', () => getObject(cluster.adminKubeconfig,
      { apiVersion: 'observability.example.com/v1alpha1', kind: 'Elasticsearch', metadata: { name: 'logging', namespace: 'default' } } as KubeObject),
    180_000, logs);
    expect(search.metadata.annotations?.['observability.example.com/metadata-store']).toBe('logging-db.database.svc:5432');
  }, 900_000);

  it('the webshop operator, with only p2c\'s RBAC and claims, serves a Webshop through the virtual workspace, '
    + 'creates its Postgres and Elasticsearch through the claims, and deploys it to the webshop cluster', async () => {
    const cluster = clusters.get('webshop')!;
    await applyApps(argoApps(join(root, 'dist-real')).filter((a) => a.name === 'clusters.webshop'), scripts);
    const operator = workload(join(root, 'dist-real', 'clusters', 'webshop'), (d) => d.metadata.name === 'webshop-operator');
    // MESH.md prerequisite 3: the two kubeconfig Secrets, as its commands make them; read back like the pod mounts them.
    const dir = join(root, 'webshop-operator');
    mkdirSync(dir, { recursive: true });
    const kcpFile = serviceAccountKubeconfig(workspaceAdmin('root:team:webshop'), `${kcp.url}/clusters/root:team:webshop`, 'default',
      'webshop-operator', join(dir, 'kcp-sa.kubeconfig'));
    const computeFile = serviceAccountKubeconfig(cluster.adminKubeconfig, cluster.url, operator.namespace, operator.serviceAccount,
      join(dir, 'compute-sa.kubeconfig'));
    kubeconfigSecret(cluster.adminKubeconfig, operator.namespace, 'webshop-operator-kcp-kubeconfig', kcpFile);
    kubeconfigSecret(cluster.adminKubeconfig, operator.namespace, 'webshop-operator-compute-kubeconfig', computeFile);
    const mounted = (secret: string, file: string) => mountedKubeconfig(cluster.adminKubeconfig, operator.namespace, secret, join(dir, file));
    expect(operator.env['KUBECONFIG']).toBe('/etc/kcp/kubeconfig');
    const env = { ...operator.env, KUBECONFIG: mounted('webshop-operator-kcp-kubeconfig', 'kcp.kubeconfig') };
    const args = withFlags(operator.args, { '--provider-kubeconfig': mounted('webshop-operator-compute-kubeconfig', 'compute.kubeconfig') });
    agents.push(start('webshop-operator', bins['webshop-operator']!, args, dir, env));

    const webshop = workspaceAdmin('root:team:webshop');
    const shop = { apiVersion: 'webshop.example.com/v1alpha1', kind: 'Webshop', metadata: { name: 'shop', namespace: 'default' } } as KubeObject;
    const served = await until('the operator to write the Webshop\'s status through the virtual workspace', () => {
      const live = getObject(webshop, shop);
      return (live?.['status'] as any)?.url ? live : undefined;
    }, 180_000, logs);
    expect((served['status'] as any).url).toBe('https://shop.example.com');
    const db = getObject(webshop, { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'shop-db', namespace: 'default' } } as KubeObject);
    expect((db?.['spec'] as any)?.storage).toBe('20Gi');
    expect(getObject(webshop, { apiVersion: 'observability.example.com/v1alpha1', kind: 'Elasticsearch', metadata: { name: 'shop-search', namespace: 'default' } } as KubeObject)).toBeDefined();
    // The Postgres it made goes on to the database cluster like any other consumer's.
    await until('the operator\'s Postgres to reach the database cluster', () => {
      const list = JSON.parse(kubectl(clusters.get('database')!.adminKubeconfig, ['get', 'postgreses.database.example.com', '-A', '-o', 'json'])).items as KubeObject[];
      return list.some((o) => (o['spec'] as any).connectionSecretName === 'shop-db-conn') || undefined;
    }, 120_000, logs);
    expect(getObject(cluster.adminKubeconfig, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop-shop', namespace: operator.namespace } } as KubeObject)).toBeDefined();
  }, 600_000);

  it('the default never destroys: a team and an API removed, re-synthesized and synced with pruning, their data stays', async () => {
    expect(realMesh, 'the webshop test runs first').toBeDefined();
    const webshop = workspaceAdmin('root:team:webshop');
    const elasticsearch = {
      apiVersion: 'observability.example.com/v1alpha1', kind: 'Elasticsearch',
      metadata: { name: 'search', namespace: 'default' }, spec: { nodes: 1 },
    } as KubeObject;
    await applyWhenServed(webshop, elasticsearch, logs);

    // Team webshop and the Elastic API (with the graph and stack that compose it) leave the mesh, as deleting their
    // lines would leave them out of the construct tree.
    const removed = join(root, 'mesh', 'removed.ts');
    writeFileSync(removed, readFileSync(realMesh!, 'utf8').replace('export default mesh;', [
      "for (const [scope, id] of [[mesh, 'webshop'], [observability, 'elastic'], [observabilityCluster, 'stack'],",
      "  [observabilityCluster, 'logging']] as const) if (!scope.node.tryRemoveChild(id)) throw new Error(id);",
      'export default mesh;',
    ].join('\n')));
    // The next revision is synthesized over the last one, as in the platform's repository.
    const next = join(root, 'dist-removed');
    cpSync(join(root, 'dist-real'), next, { recursive: true });
    const result = p2c(['synth', removed, '--out', next, '--no-type-check']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/Workspace webshop in workspace root:team leaves the output: kept/);

    // Argo CD syncs the new revision with pruning: the apps it applied before, again (the others need kro and
    // kube-bind's konnector, which this test does not run).
    // Its Deployment leaves the output with the API, so its agent stops.
    for (const agent of agents.filter((a) => ['api-syncagent-observability', 'webshop-operator'].includes(a.name))) await stop(agent);
    const apps = argoApps(next).filter((a) => inventory.has(a.name));
    const { deleted, kept } = await syncWithPrune(apps, inventory, (a) => adminFor(a.server), scripts, logs);
    // Pruning ran: what holds no data went, what does was kept.
    expect(deleted).toEqual(expect.arrayContaining([expect.stringMatching(/^APIResourceSchema/)]));
    expect(kept).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Workspace\.v1alpha1\.tenancy\.kcp\.io \/webshop/),
      expect.stringMatching(/^APIBinding\.v1alpha2\.apis\.kcp\.io \/observability\.example\.com \(kcp\.root\.team\.webshop\)/),
      expect.stringMatching(/^APIExport\.v1alpha2\.apis\.kcp\.io \/observability\.example\.com/),
      expect.stringMatching(/^CustomResourceDefinition\.v1\.apiextensions\.k8s\.io \/elasticsearches\.observability\.example\.com/),
    ]));

    // kcp and the API server had time to act on the deletions; everything holding data is still there.
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const team = workspaceAdmin('root:team');
    expect((getObject(team, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'webshop' } } as KubeObject)?.['status'] as any)?.phase).toBe('Ready');
    for (const name of ['database.example.com', 'observability.example.com', 'webshop.example.com']) {
      const binding = getObject(webshop, { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBinding', metadata: { name } } as KubeObject);
      expect(binding?.metadata, name).toBeDefined();
      expect((binding!.metadata as { deletionTimestamp?: string }).deletionTimestamp, name).toBeUndefined();
    }
    expect(getObject(webshop, elasticsearch), 'the Elasticsearch instance').toBeDefined();
    expect(getObject(webshop, { apiVersion: 'webshop.example.com/v1alpha1', kind: 'Webshop', metadata: { name: 'shop', namespace: 'default' } } as KubeObject), 'the Webshop instance').toBeDefined();
    expect(getObject(workspaceAdmin('root:team:observability'), { apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres', metadata: { name: 'live', namespace: 'default' } } as KubeObject)).toBeDefined();
    const crd = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'elasticsearches.observability.example.com' } } as KubeObject;
    expect(getObject(clusters.get('observability')!.adminKubeconfig, crd), 'the Elastic CRD').toBeDefined();
  }, 600_000);
});
