/**
 * Applies p2c's output the way Argo CD would: the root app's Applications in sync-wave order, each folder rendered by
 * `kubectl kustomize` and server-side applied to its destination, then every object waited on with the health
 * check p2c wrote into argocd-cm (run as Lua, as Argo CD runs it) before the next wave starts.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { runHealth } from '../../support/lua.ts';
import { until } from './servers.ts';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface App { name: string; wave: number; folder: string; server: string }

export function readYaml(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject).filter((o) => o && o.kind);
}

/** The Applications p2c wrote for Argo CD, in the order their sync waves give. */
export function argoApps(out: string): App[] {
  const objects = readYaml(readFileSync(join(out, 'gitops/argocd/manifest.yaml'), 'utf8'));
  return objects.filter((o) => o.kind === 'Application').map((o) => {
    const spec = o['spec'] as { destination: { server: string }; source: { path: string } };
    return {
      name: o.metadata.name,
      wave: Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0),
      // source.path is relative to the repository; the output folder is the repository's `dist/`.
      folder: join(out, spec.source.path.replace(/^dist\//, '')),
      server: spec.destination.server,
    };
  }).sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
}

/** Health scripts by `group_Kind`, read from the argocd-cm p2c's bootstrap writes. */
export function healthScripts(out: string): Map<string, string> {
  const cm = readYaml(readFileSync(join(out, 'gitops/argocd/bootstrap.yaml'), 'utf8'))
    .find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm');
  const scripts = new Map<string, string>();
  for (const [key, value] of Object.entries((cm?.['data'] ?? {}) as Record<string, string>)) {
    const m = /^resource\.customizations\.health\.(.*)$/.exec(key);
    if (m) scripts.set(m[1]!, value);
  }
  return scripts;
}

export function kubectl(kubeconfig: string, args: string[], input?: string): string {
  try {
    return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], {
      encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')}: ${e.stderr || e.stdout || e.message}`);
  }
}

export function getObject(kubeconfig: string, o: KubeObject): KubeObject | undefined {
  const args = ['get', resourceOf(o), o.metadata.name, '-o', 'json', '--ignore-not-found'];
  if (o.metadata.namespace) args.push('-n', o.metadata.namespace);
  const text = kubectl(kubeconfig, args).trim();
  return text ? (JSON.parse(text) as KubeObject) : undefined;
}

/** Server-side applies an object as a user would, again until its kind is served (its binding or CRD just landed). */
export async function applyWhenServed(kubeconfig: string, o: KubeObject, explain?: () => string): Promise<void> {
  await until(`${o.kind} to be served (${o.metadata.name})`, () => {
    kubectl(kubeconfig, ['apply', '--server-side', '--field-manager=live-test', '-f', '-'], JSON.stringify(o));
    return true;
  }, 120_000, explain);
}

/** `kind.version.group` as kubectl takes it, so two groups' kinds of one name never mix. */
export function resourceOf(o: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  return group ? `${o.kind}.${version}.${group}` : o.kind;
}

// Argo CD applies by kind order within a sync wave (gitops-engine pkg/sync/syncwaves.go kindOrder): namespaces and
// CRDs before what uses them. The rest keeps the order the manifest gives.
const firstKinds = ['Namespace', 'ServiceAccount', 'Secret', 'ConfigMap', 'CustomResourceDefinition'];

/** Server-side applies one folder's objects to its target and waits until each is Healthy by p2c's rules. */
export async function applyFolder(folder: string, kubeconfig: string, scripts: Map<string, string>,
  options: { timeoutMs?: number; explain?: () => string } = {}): Promise<KubeObject[]> {
  const rendered = execFileSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
  const objects = readYaml(rendered);
  const wave = (o: KubeObject) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  const waves = [...new Set(objects.map(wave))].sort((a, b) => a - b);
  for (const w of waves) {
    const inWave = objects.filter((o) => wave(o) === w);
    const first = inWave.filter((o) => firstKinds.includes(o.kind));
    const rest = inWave.filter((o) => !firstKinds.includes(o.kind));
    for (const batch of [first, rest]) {
      if (batch.length === 0) continue;
      const yaml = batch.map((o) => stringify(o)).join('---\n');
      kubectl(kubeconfig, ['apply', '--server-side', '--field-manager=argocd-controller', '-f', '-'], yaml);
      for (const o of batch.filter((x) => x.kind === 'CustomResourceDefinition')) {
        await until(`CRD ${o.metadata.name} Established`, () => established(getObject(kubeconfig, o)), 60_000);
      }
    }
    for (const o of inWave) {
      await until(`${o.kind} ${o.metadata.name} healthy (${folder})`, () => healthy(kubeconfig, o, scripts),
        options.timeoutMs ?? 120_000, () => `${describe(kubeconfig, o)}\n${options.explain?.() ?? ''}`);
    }
  }
  return objects;
}

function established(o: KubeObject | undefined): boolean {
  const conditions = ((o?.['status'] as { conditions?: { type: string; status: string }[] })?.conditions) ?? [];
  return conditions.some((c) => c.type === 'Established' && c.status === 'True');
}

/** Healthy as Argo CD would say: the kind's custom Lua check where p2c wrote one, else present is healthy. */
export function healthy(kubeconfig: string, o: KubeObject, scripts: Map<string, string>): boolean {
  const live = getObject(kubeconfig, o);
  if (!live) return false;
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  const script = scripts.get(`${group}_${o.kind}`);
  if (!script) return true;
  const verdict = runHealth(script, live);
  if (verdict.status === 'Degraded') throw new Error(`${o.kind} ${o.metadata.name} is Degraded: ${verdict.message}`);
  return verdict.status === 'Healthy';
}

function describe(kubeconfig: string, o: KubeObject): string {
  try {
    return JSON.stringify(getObject(kubeconfig, o)?.['status'] ?? null, null, 2);
  } catch (error) {
    return (error as Error).message;
  }
}
