/**
 * What every live scenario does around the servers: synthesize an example, read back the Deployments p2c wrote, and
 * give a controller a kubeconfig of exactly the ServiceAccount p2c's RBAC names.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { p2c } from '../../support/run.ts';
import { getObject, kubectl, readYaml, type KubeObject } from './apply.ts';
import { until, writeKubeconfig } from './servers.ts';

export function synth(meshFile: string, into: string): void {
  const result = p2c(['synth', meshFile, '--out', into, '--no-type-check']);
  if (result.status !== 0) throw new Error(`p2c synth failed:\n${result.stderr}${result.stdout}`);
}

/** The pod template of a Deployment p2c wrote into a folder, with what a local process needs of it. */
export interface Workload {
  namespace: string;
  serviceAccount: string;
  args: string[];
  env: Record<string, string>;
}

export function workload(folder: string, match: (deployment: KubeObject) => boolean): Workload {
  const objects = readYaml(readFileSync(join(folder, 'manifest.yaml'), 'utf8'));
  const deployment = objects.find((o) => o.kind === 'Deployment' && match(o));
  if (!deployment) throw new Error(`no such Deployment in ${folder}`);
  const pod = (deployment['spec'] as { template: { spec: PodSpec } }).template.spec;
  const container = pod.containers[0]!;
  const namespace = deployment.metadata.namespace!;
  // The downward API's pod name and namespace, as the kubelet would fill them in.
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    const field = e.valueFrom?.fieldRef?.fieldPath;
    if (e.value !== undefined) env[e.name] = e.value;
    else if (field === 'metadata.namespace') env[e.name] = namespace;
    else if (field === 'metadata.name') env[e.name] = `${deployment.metadata.name}-live`;
  }
  return { namespace, serviceAccount: pod.serviceAccountName, args: container.args ?? [], env };
}

interface PodSpec {
  serviceAccountName: string;
  containers: { args?: string[]; env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[];
}

/** A ServiceAccount's kubeconfig by TokenRequest, so a controller runs with exactly the RBAC p2c wrote for it. */
export function serviceAccountKubeconfig(adminKubeconfig: string, server: string, namespace: string, name: string,
  file: string): string {
  const token = kubectl(adminKubeconfig, ['create', 'token', name, '-n', namespace, '--duration=2h']).trim();
  return writeKubeconfig(file, server, token);
}

/** An argument list with the flags a loopback run must point elsewhere replaced (flag → value). */
export function withFlags(args: string[], flags: Record<string, string>): string[] {
  const out = args.filter((a) => !Object.keys(flags).some((f) => a === f || a.startsWith(`${f}=`)));
  for (const [flag, value] of Object.entries(flags)) out.push(`${flag}=${value}`);
  return out;
}

/** MESH.md's `kubectl create secret generic <name> --from-file=kubeconfig=<file>`, in a namespace of a cluster. */
export function kubeconfigSecret(adminKubeconfig: string, namespace: string, name: string, file: string): void {
  kubectl(adminKubeconfig, ['-n', namespace, 'create', 'secret', 'generic', name, `--from-file=kubeconfig=${file}`]);
}

/**
 * The kubeconfig a pod mounts from a Secret, written to a local file for the process that stands for the pod: read
 * back from the cluster, so the prerequisite step that made the Secret is what the controller runs on.
 */
export function mountedKubeconfig(adminKubeconfig: string, namespace: string, name: string, file: string): string {
  const data = JSON.parse(kubectl(adminKubeconfig, ['get', 'secret', name, '-n', namespace, '-o', 'json'])).data as { kubeconfig: string };
  writeFileSync(file, Buffer.from(data.kubeconfig, 'base64'));
  return file;
}

/**
 * The kubeconfig kube-bind's backend issued for a BindableResourcesRequest, written to a file: it writes a
 * BindingResourceResponse (JSON, the kubeconfig base64 in it) under `binding-response` in the response Secret.
 */
export async function issuedKubeconfig(kubeconfig: string, secret: { name: string; namespace: string }, file: string,
  explain: () => string): Promise<string> {
  const response = await until('the kube-bind backend to answer the BindableResourcesRequest', () => {
    const live = getObject(kubeconfig, { apiVersion: 'v1', kind: 'Secret', metadata: secret });
    return (live?.['data'] as Record<string, string> | undefined)?.['binding-response'];
  }, 180_000, explain);
  const issued = JSON.parse(Buffer.from(response, 'base64').toString()) as { kubeconfig: string };
  writeFileSync(file, Buffer.from(issued.kubeconfig, 'base64'));
  return file;
}
