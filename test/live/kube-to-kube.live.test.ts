/**
 * Kube to Kube, proven on two real kube-apiservers with kube-bind's own backend and konnector (examples/kube-to-kube):
 * p2c's output applied in Argo CD's wave order, MESH.md's manual steps done as written, each controller running as
 * the ServiceAccount p2c's RBAC was written for.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { repoRoot } from '../support/paths.ts';
import { applyFolder, applyWhenServed, argoApps, getObject, healthScripts, kubectl, type App, type KubeObject } from './harness/apply.ts';
import { issuedKubeconfig, kubeconfigSecret, serviceAccountKubeconfig, synth, withFlags, workload } from './harness/scenario.ts';
import { freePort, start, startCluster, stopAll, tail, until, type Process, type Server } from './harness/servers.ts';

const bins = inject('liveBinaries');
const root = join(repoRoot, 'scratch', 'live-kube-to-kube');
const out = join(root, 'dist');
const clusters = new Map<string, Server>();
const controllers: Process[] = [];
const logs = () => controllers.map((c) => tail(c)).join('\n');

function admin(server: string): string {
  const name = /^https:\/\/([^.]+)\.clusters\.example\.com$/.exec(server)?.[1];
  const cluster = name && clusters.get(name);
  if (!cluster) throw new Error(`no live server for destination ${server}`);
  return cluster.adminKubeconfig;
}

async function applyApp(apps: App[], folder: string, scripts: Map<string, string>): Promise<void> {
  const app = apps.find((a) => a.folder === join(out, folder));
  if (!app) throw new Error(`no Argo CD Application applies ${folder}`);
  await applyFolder(app.folder, admin(app.server), scripts, { explain: logs });
}

describe('Kube to Kube with kube-bind (examples/kube-to-kube)', () => {
  let apps: App[];
  let scripts: Map<string, string>;
  let provider: Server;
  let consumer: Server;

  beforeAll(async () => {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    synth(join(repoRoot, 'examples/kube-to-kube/mesh.ts'), out);
    provider = await startCluster('provider', bins, root);
    consumer = await startCluster('consumer', bins, root);
    clusters.set('provider', provider).set('consumer', consumer);
    apps = argoApps(out);
    scripts = healthScripts(out);
  }, 600_000);

  afterAll(async () => {
    await stopAll();
  }, 60_000);

  it('applies in wave order as the apps say', () => {
    expect(apps.map((a) => a.folder.slice(out.length + 1))).toEqual(['clusters/provider', 'clusters/consumer', 'clusters/consumer/_stage-1']);
  });

  it('the backend admits the consumer, the konnector binds, Postgres goes down and its Secret comes back', async () => {
    await applyApp(apps, 'clusters/provider', scripts);

    // The backend, as its Deployment runs it; the address it hands consumers is this loopback server's, with its CA.
    const backend = workload(join(out, 'clusters/provider'), (d) => d.metadata.name === 'kube-bind-backend');
    const dir = join(root, 'backend');
    mkdirSync(dir, { recursive: true });
    const backendKubeconfig = serviceAccountKubeconfig(provider.adminKubeconfig, provider.url, backend.namespace,
      backend.serviceAccount, join(dir, 'kubeconfig'));
    const args = withFlags(backend.args, {
      '--external-address': provider.url, '--external-ca-file': provider.caFile!,
      '--listen-address': `127.0.0.1:${await freePort()}`, '--kubeconfig': backendKubeconfig,
    });
    controllers.push(start('kube-bind-backend', bins['kube-bind-backend']!, args, dir, backend.env));

    // MESH.md step 1: the kubeconfig the backend issued in answer to the BindableResourcesRequest, handed over by hand.
    const issued = await issuedKubeconfig(provider.adminKubeconfig,
      { name: 'consumer.postgreses.database.example.com-binding-response', namespace: 'kube-bind' }, join(root, 'consumer.kubeconfig'), logs);
    kubectl(consumer.adminKubeconfig, ['create', 'namespace', 'kube-bind']);
    kubeconfigSecret(consumer.adminKubeconfig, 'kube-bind', 'kubeconfig-provider', issued);

    // MESH.md step 2: the export request, in the cluster namespace p2c predicted the backend would make.
    kubectl(provider.adminKubeconfig, ['apply', '-f', join(out, 'prerequisites/kube-bind-consumer-postgreses.database.example.com.yaml')]);

    await applyApp(apps, 'clusters/consumer', scripts);
    const konnector = workload(join(out, 'clusters/consumer'), (d) => d.metadata.name === 'konnector');
    const kdir = join(root, 'konnector');
    mkdirSync(kdir, { recursive: true });
    const konnectorKubeconfig = serviceAccountKubeconfig(consumer.adminKubeconfig, consumer.url, konnector.namespace,
      konnector.serviceAccount, join(kdir, 'kubeconfig'));
    controllers.push(start('konnector', bins.konnector!, withFlags(konnector.args, { '--kubeconfig': konnectorKubeconfig }),
      kdir, konnector.env));
    await applyApp(apps, 'clusters/consumer/_stage-1', scripts);

    const crd = await until('the Postgres CRD in the consumer cluster', () => getObject(consumer.adminKubeconfig,
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'postgreses.database.example.com' } } as KubeObject),
    120_000, logs);
    expect((crd['spec'] as { scope: string }).scope).toBe('Namespaced');

    const instance = {
      apiVersion: 'database.example.com/v1alpha1', kind: 'Postgres',
      metadata: { name: 'orders', namespace: 'default' },
      spec: { version: '16', storage: '5Gi', connectionSecretName: 'orders-conn' },
    } as KubeObject;
    await applyWhenServed(consumer.adminKubeconfig, instance, logs);
    const synced = await until('the konnector to create the Postgres in the provider cluster', () =>
      (JSON.parse(kubectl(provider.adminKubeconfig, ['get', 'postgreses.database.example.com', '-A', '-o', 'json'])).items as KubeObject[])[0],
    120_000, logs);
    expect((synced['spec'] as { storage: string }).storage).toBe('5Gi');

    // The provider's operator (not run: no kubelet) writes the connection Secret beside the object.
    kubectl(provider.adminKubeconfig, ['-n', synced.metadata.namespace!, 'create', 'secret', 'generic', 'orders-conn',
      '--from-literal=password=s3cret']);
    const secret = await until('the connection Secret to come back to the consumer cluster', () => getObject(consumer.adminKubeconfig,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-conn', namespace: 'default' } } as KubeObject), 120_000, logs);
    expect(Buffer.from((secret['data'] as Record<string, string>).password!, 'base64').toString()).toBe('s3cret');
  }, 900_000);
});
