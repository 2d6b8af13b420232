/**
 * The real control planes and controllers, built from their Go modules through the module proxy by the project's own
 * wrapper modules (test/live/tools/<name>/go.mod). Binaries are cached by version and by the wrapper's go.mod and
 * go.sum under ~/.cache/p2c-live, so a second run does not rebuild.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const toolsDir = fileURLToPath(new URL('../tools/', import.meta.url));

export interface Tool {
  /** Folder under test/live/tools holding the wrapper module. */
  name: string;
  /** Upstream version the wrapper pins (shown in progress and README). */
  version: string;
  /** Binary name → Go package built into it. */
  binaries: Record<string, string>;
  /** Linker flags, e.g. the version kube-apiserver reports. */
  ldflags?: string;
  /**
   * Files of the wrapper's own added to a dependency for the build, where the module proxy serves no release of that
   * dependency the pinned version compiles against: module → { file in the module: file in the wrapper }. The module
   * is copied from the module cache into the build's scratch folder (never committed), the files added, and the
   * build run with a -modfile that replaces the module by that copy (Go refuses overlays beneath GOMODCACHE).
   */
  overlay?: Record<string, Record<string, string>>;
  /** Files of local modules the wrapper's go.mod replaces a dependency with (part of the cache key). */
  local?: string[];
}

export const tools: Tool[] = [
  { name: 'etcd', version: 'v3.6.8', binaries: { etcd: 'go.etcd.io/etcd/server/v3' } },
  {
    name: 'kube-apiserver',
    version: 'v1.36.3',
    // kube-controller-manager fills ServiceAccount token Secrets (kube-bind's backend waits on them), deletes
    // namespaces' contents and collects garbage; no scheduler or kubelet, so pods are never run.
    binaries: {
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
    },
    // Without it the server reports v0.0.0, which kubectl and controllers' discovery read as ancient.
    ldflags: '-X k8s.io/component-base/version.gitVersion=v1.36.3 -X k8s.io/component-base/version.gitMajor=1'
      + ' -X k8s.io/component-base/version.gitMinor=36',
  },
  {
    name: 'kcp',
    version: 'v0.32.3',
    binaries: { kcp: 'github.com/kcp-dev/kcp/cmd/kcp' },
    overlay: {
      'github.com/kcp-dev/virtual-workspace-framework': { 'pkg/forwardingregistry/p2c_compat.go': 'compat/forwardingregistry.go' },
    },
  },
  { name: 'api-syncagent', version: 'v0.7.0', binaries: { 'api-syncagent': 'github.com/kcp-dev/api-syncagent/cmd/api-syncagent' } },
  {
    // v0.8.1 is not served by the module proxy; v0.8.2 is. Its backend imports kube-bind/web (the browser UI) at a
    // pseudo-version the proxy refuses (403); the wrapper's ./web module serves an empty UI in its place.
    name: 'kube-bind',
    version: 'v0.8.2',
    binaries: { 'kube-bind-backend': 'github.com/kube-bind/kube-bind/cmd/backend', konnector: 'github.com/kube-bind/kube-bind/cmd/konnector' },
    local: ['web/go.mod', 'web/web.go'],
  },
  { name: 'kro', version: 'v0.9.3', binaries: { kro: 'github.com/kubernetes-sigs/kro/cmd/controller' } },
  {
    // The project's own minimal operator (main.go); its multicluster-provider `client` module zip is refused (403),
    // but the apiexport provider never imports it, so the build never asks for it.
    name: 'webshop-operator',
    version: 'multicluster-provider-v0.8.0',
    binaries: { 'webshop-operator': '.' },
    local: ['main.go'],
  },
];

export const cacheRoot = process.env.P2C_LIVE_CACHE ?? join(homedir(), '.cache', 'p2c-live');

/** What Go is here, or the one line that says it is missing. */
export function goVersion(): string {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('the live suite needs Go (go 1.26 or newer on PATH) to build kcp, kube-apiserver, etcd, '
      + 'api-syncagent, kube-bind and kro from their modules; `go` was not found');
  }
}

/** The cache folder of a tool: changes when its wrapper, its go.sum or the Go version does. */
export function toolDir(tool: Tool, go = goVersion()): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(toolsDir, tool.name, file)));
  hash.update(go).update(tool.ldflags ?? '');
  for (const files of Object.values(tool.overlay ?? {})) {
    for (const own of Object.values(files)) hash.update(readFileSync(join(toolsDir, tool.name, own)));
  }
  for (const own of tool.local ?? []) hash.update(readFileSync(join(toolsDir, tool.name, own)));
  return join(cacheRoot, `${tool.name}-${tool.version}-${hash.digest('hex').slice(0, 12)}`);
}

export type Binaries = Record<string, string>;

/** Builds every tool not yet cached, one after another (each go build already uses every core). */
export async function buildTools(log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<Binaries> {
  const go = goVersion();
  const paths: Binaries = {};
  for (const tool of tools) {
    const dir = toolDir(tool, go);
    const cached = Object.keys(tool.binaries).every((bin) => existsSync(join(dir, bin)));
    log(`building ${tool.name} ${tool.version} (cached: ${cached ? 'yes' : 'no'}) …`);
    const started = Date.now();
    if (!cached) {
      const scratch = `${dir}.partial`;
      rmSync(scratch, { recursive: true, force: true });
      mkdirSync(scratch, { recursive: true });
      const modfile = tool.overlay ? writeModfile(tool, join(scratch, '.build')) : undefined;
      for (const [bin, pkg] of Object.entries(tool.binaries)) {
        const args = ['build', '-mod=readonly', '-o', join(scratch, bin)];
        if (tool.ldflags) args.push(`-ldflags=${tool.ldflags}`);
        if (modfile) args.push(`-modfile=${modfile}`);
        await run('go', [...args, pkg], join(toolsDir, tool.name), `${tool.name}/${bin}`);
      }
      rmSync(join(scratch, '.build'), { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
      renameSync(scratch, dir);
    }
    log(`  ${tool.name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const bin of Object.keys(tool.binaries)) paths[bin] = join(dir, bin);
  }
  return paths;
}

/** The dependency copies a tool's additions need and the -modfile that points the build at them. */
function writeModfile(tool: Tool, scratch: string): string {
  const cwd = join(toolsDir, tool.name);
  mkdirSync(scratch, { recursive: true });
  let mod = readFileSync(join(cwd, 'go.mod'), 'utf8');
  for (const [module, files] of Object.entries(tool.overlay ?? {})) {
    const dir = moduleDir(tool.name, module);
    const copy = join(scratch, 'modules', module);
    cpSync(dir, copy, { recursive: true });
    execFileSync('chmod', ['-R', 'u+w', copy]);
    for (const [inModule, own] of Object.entries(files)) cpSync(join(cwd, own), join(copy, inModule));
    mod += `\nreplace ${module} => ${copy}\n`;
  }
  writeFileSync(join(scratch, 'build.mod'), mod);
  cpSync(join(cwd, 'go.sum'), join(scratch, 'build.sum'));
  return join(scratch, 'build.mod');
}

/**
 * Where a dependency of a wrapper module lies in the module cache, downloading it first: `go list -m` names no folder
 * for a module not yet downloaded (a cold cache), `go mod download -json` fetches it and says where it went.
 */
export function moduleDir(toolName: string, module: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', module], { cwd: join(toolsDir, toolName), encoding: 'utf8' });
  const dir = (JSON.parse(out) as { Dir?: string; Error?: string });
  if (!dir.Dir) throw new Error(`go mod download ${module} (${toolName}): ${dir.Error ?? 'no folder'}`);
  return dir.Dir;
}

function run(command: string, args: string[], cwd: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`go build of ${what} failed (exit ${code}):\n${output.slice(-8000)}`));
    });
  });
}
