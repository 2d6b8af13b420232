/**
 * Kube to kcp to Kube, proven on real kcp, kube-apiserver and api-syncagent (examples/idp): p2c's output applied as
 * Argo CD applies it, the manual prerequisites done as MESH.md says, the agents run as the ServiceAccounts p2c's RBAC
 * was written for.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { repoRoot } from '../support/paths.ts';
import { p2c } from '../support/run.ts';
import { applyFolder, argoApps, getObject, healthScripts, kubectl, readYaml, type App, type KubeObject } from './harness/apply.ts';
import { start, startCluster, startKcp, stopAll, tail, until, writeKubeconfig, type Process, type Server } from './harness/servers.ts';

const bins = inject('liveBinaries');
const root = join(repoRoot, 'scratch', 'live-idp');
const frontProxy = 'https://kcp.platform.example.com';

let kcp: Server;
const clusters = new Map<string, Server>();
const agents: Process[] = [];
let out: string;

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

/** A ServiceAccount's kubeconfig by TokenRequest, so a controller runs with exactly the RBAC p2c wrote for it. */
function serviceAccountKubeconfig(adminKubeconfig: string, server: string, namespace: string, name: string, file: string) {
  const token = kubectl(adminKubeconfig, ['create', 'token', name, '-n', namespace, '--duration=2h']).trim();
  return writeKubeconfig(file, server, token);
}

function synth(meshFile: string, into: string): void {
  const result = p2c(['synth', meshFile, '--out', into, '--no-type-check']);
  if (result.status !== 0) throw new Error(`p2c synth failed:\n${result.stderr}${result.stdout}`);
}

const logs = () => agents.map((a) => tail(a)).join('\n');

async function applyApps(apps: App[], scripts: Map<string, string>): Promise<void> {
  for (const app of apps) await applyFolder(app.folder, adminFor(app.server), scripts, { explain: logs });
}

/** Starts the api-syncagent p2c deploys in a cluster, with the Deployment's own arguments. */
function startAgent(cluster: string, workspace: string): Process {
  const manifest = readYaml(readFileSync(join(out, 'clusters', cluster, 'manifest.yaml'), 'utf8'));
  const deployment = manifest.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/name'] === 'api-syncagent')!;
  const pod = (deployment['spec'] as any).template.spec;
  const container = pod.containers[0] as { args: string[] };
  const namespace = deployment.metadata.namespace!;
  const server = clusters.get(cluster)!;
  const dir = join(root, `agent-${cluster}`);
  mkdirSync(dir, { recursive: true });
  // The Secret MESH.md's prerequisite made is what the Deployment mounts at /etc/kcp; here it is read back from the
  // cluster, so the step is proven, and handed to the agent by the same path flag, pointed at a local file.
  const secret = JSON.parse(kubectl(server.adminKubeconfig, ['get', 'secret', 'kcp-kubeconfig', '-n', namespace, '-o', 'json']));
  const kcpKubeconfig = join(dir, 'kcp.kubeconfig');
  writeFileSync(kcpKubeconfig, Buffer.from(secret.data.kubeconfig, 'base64'));
  const local = serviceAccountKubeconfig(server.adminKubeconfig, server.url, namespace, pod.serviceAccountName, join(dir, 'in-cluster.kubeconfig'));
  const args = container.args.map((a) => (a.startsWith('--kcp-kubeconfig=') ? `--kcp-kubeconfig=${kcpKubeconfig}` : a));
  void workspace;
  const agent = start(`api-syncagent-${cluster}`, bins['api-syncagent']!, [...args, `--kubeconfig=${local}`], dir);
  agents.push(agent);
  return agent;
}

/** MESH.md prerequisite: the agent's kcp kubeconfig, the workspace ServiceAccount's token, as a Secret. */
function agentKcpSecret(cluster: string, workspace: string, serviceAccount: string): void {
  const admin = workspaceAdmin(workspace);
  const file = serviceAccountKubeconfig(admin, `${kcp.url}/clusters/${workspace}`, 'default', serviceAccount, join(root, `${cluster}-kcp-sa.kubeconfig`));
  kubectl(clusters.get(cluster)!.adminKubeconfig, ['-n', 'kcp-api-syncagent', 'create', 'secret', 'generic', 'kcp-kubeconfig', `--from-file=kubeconfig=${file}`]);
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
    startAgent('database', 'root:team:database');
    const database = workspaceAdmin('root:team:database');
    const exportObject = { apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'database.example.com' } } as KubeObject;
    const filled = await until('the agent to publish Postgres into APIExport database.example.com', () => {
      const live = getObject(database, exportObject);
      const resources = (live?.['spec'] as { resources?: { name: string; group: string }[] })?.resources ?? [];
      return resources.find((r) => r.name === 'postgreses' && r.group === 'database.example.com');
    }, 180_000, logs);
    expect(filled.name).toBe('postgreses');
  }, 600_000);
});
