/**
 * Real servers on loopback: kcp (embedded etcd) and, per compute cluster, etcd + kube-apiserver. Ports are chosen
 * free at run time; every process is stopped by stopAll(), also when a test fails. No kubelet runs: Deployments are
 * accepted and stored, their pods never start.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Binaries } from './tools.ts';

export interface Process { name: string; child: ChildProcess; logFile: string }

const running: Process[] = [];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function start(name: string, command: string, args: string[], dir: string, env: NodeJS.ProcessEnv = {}): Process {
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const proc = { name, child, logFile };
  running.push(proc);
  return proc;
}

/** The last lines a process wrote, for a failure message. */
export function tail(proc: Process, lines = 60): string {
  if (!existsSync(proc.logFile)) return '';
  return `--- ${proc.name} (${proc.logFile}) ---\n${readFileSync(proc.logFile, 'utf8').split('\n').slice(-lines).join('\n')}`;
}

export async function stop(proc: Process): Promise<void> {
  const index = running.indexOf(proc);
  if (index >= 0) running.splice(index, 1);
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].reverse().map(stop));
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number,
  explain: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? `\nlast error: ${last.message}` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${reason}\n${explain()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A kubeconfig with one server and one bearer token (TLS not verified: loopback servers with self-made certs). */
export function writeKubeconfig(file: string, server: string, token: string): string {
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: live',
    'clusters:', '- name: live', '  cluster:', `    server: ${server}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: live', '  user:', `    token: ${token}`,
    'contexts:', '- name: live', '  context:', '    cluster: live', '    user: live',
  ].join('\n') + '\n');
  return file;
}

export interface Server {
  /** Base URL, e.g. https://127.0.0.1:6443; kcp workspaces live under /clusters/<path>. */
  url: string;
  /** Admin kubeconfig (system:masters) for the test's own reads and the manual prerequisite steps. */
  adminKubeconfig: string;
  /** The CA a client verifies the server with (kube-apiserver's self-made serving certificate). */
  caFile?: string;
  processes: Process[];
}

/** A compute cluster: etcd and kube-apiserver, RBAC on, an admin token, ServiceAccount tokens by TokenRequest. */
export async function startCluster(name: string, bins: Binaries, root: string): Promise<Server> {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const [client, peer, secure] = [await freePort(), await freePort(), await freePort()];
  const etcd = start(`${name}-etcd`, bins.etcd!, [
    '--name=default', `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${client}`, `--advertise-client-urls=http://127.0.0.1:${client}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=default=http://127.0.0.1:${peer}`, '--log-level=warn',
  ], dir);
  execFileSync('openssl', ['genrsa', '-out', join(dir, 'sa.key'), '2048'], { stdio: 'ignore' });
  execFileSync('openssl', ['rsa', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')], { stdio: 'ignore' });
  const token = `admin-${name}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`);
  const apiserver = start(`${name}-kube-apiserver`, bins['kube-apiserver']!, [
    `--etcd-servers=http://127.0.0.1:${client}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
    `--secure-port=${secure}`, `--cert-dir=${join(dir, 'certs')}`,
    '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`, '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC', `--token-auth-file=${join(dir, 'tokens.csv')}`,
  ], dir);
  const url = `https://127.0.0.1:${secure}`;
  const adminKubeconfig = writeKubeconfig(join(dir, 'admin.kubeconfig'), url, token);
  const caFile = join(dir, 'certs', 'apiserver.crt');
  await until(`kube-apiserver of cluster ${name}`, () => ready(adminKubeconfig), 120_000,
    () => [tail(etcd, 20), tail(apiserver)].join('\n'));
  // The controllers a real cluster's API objects rely on without pods: token Secrets filled, namespaces emptied
  // before they go, owned objects collected, the root CA published, aggregated ClusterRoles filled.
  const controllerManager = start(`${name}-kube-controller-manager`, bins['kube-controller-manager']!, [
    `--kubeconfig=${adminKubeconfig}`, `--service-account-private-key-file=${join(dir, 'sa.key')}`,
    `--root-ca-file=${caFile}`, '--secure-port=0', '--leader-elect=false',
    '--controllers=serviceaccount-token-controller,serviceaccount-controller,namespace-controller,'
      + 'garbage-collector-controller,root-ca-certificate-publisher-controller,clusterrole-aggregation-controller',
  ], dir);
  return { url, adminKubeconfig, caFile, processes: [etcd, apiserver, controllerManager] };
}

/** kcp standalone with its embedded etcd; the admin kubeconfig is the one kcp writes. */
export async function startKcp(bins: Binaries, root: string): Promise<Server> {
  const dir = join(root, 'kcp');
  mkdirSync(dir, { recursive: true });
  const [secure, client, peer] = [await freePort(), await freePort(), await freePort()];
  const kcp = start('kcp', bins.kcp!, [
    'start', `--root-directory=${dir}`, '--bind-address=127.0.0.1', `--secure-port=${secure}`,
    `--embedded-etcd-client-port=${client}`, `--embedded-etcd-peer-port=${peer}`,
  ], dir);
  const adminKubeconfig = join(dir, 'admin.kubeconfig');
  const url = `https://127.0.0.1:${secure}`;
  await until('kcp', () => existsSync(adminKubeconfig) && ready(adminKubeconfig, 'root'), 240_000, () => tail(kcp));
  // kcp's admin kubeconfig names contexts; the test addresses workspaces by URL, so keep only the token.
  const token = /token: (\S+)/.exec(readFileSync(adminKubeconfig, 'utf8'))?.[1];
  if (!token) throw new Error(`no admin token in ${adminKubeconfig}`);
  const admin = writeKubeconfig(join(dir, 'admin-root.kubeconfig'), `${url}/clusters/root`, token);
  return { url, adminKubeconfig: admin, caFile: join(dir, 'apiserver.crt'), processes: [kcp] };
}

function ready(kubeconfig: string, context?: string): boolean {
  const args = ['--kubeconfig', kubeconfig, 'get', '--raw', '/readyz'];
  if (context) args.push('--context', context);
  try {
    return execFileSync('kubectl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'ok';
  } catch {
    return false;
  }
}
