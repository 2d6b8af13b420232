/**
 * The platform's `kube-bind.io` APIExport that MESH.md's prerequisite asks a workspace to bind (kube-bind's kcp mode).
 * Upstream ships it from its contrib/kcp module's bootstrap (kcp-init), which the module proxy does not serve at any
 * v0.8.x (403). The test makes the same objects from the kube-bind module it builds: each of its CRDs
 * (deploy/crd, read from the module cache at run time, never committed) as an APIResourceSchema, one APIExport
 * with the permission claims kcp-init's apiexport-kube-bind.io.yaml makes (kube-bind v0.8.1), in workspace
 * root:kube-bind as kcp-init does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, readYaml, type KubeObject } from './apply.ts';
import { moduleDir } from './tools.ts';
import { until } from './servers.ts';

const claims: Array<[group: string, resource: string]> = [
  ['rbac.authorization.k8s.io', 'clusterrolebindings'], ['rbac.authorization.k8s.io', 'clusterroles'],
  ['rbac.authorization.k8s.io', 'roles'], ['rbac.authorization.k8s.io', 'rolebindings'], ['', 'serviceaccounts'],
  ['', 'configmaps'], ['', 'secrets'], ['authorization.k8s.io', 'subjectaccessreviews'], ['', 'namespaces'],
  ['apiextensions.k8s.io', 'customresourcedefinitions'], ['apis.kcp.io', 'apiresourceschemas'], ['apis.kcp.io', 'apibindings'],
];

function kubeBindCrds(): KubeObject[] {
  const crdDir = join(moduleDir('kube-bind', 'github.com/kube-bind/kube-bind'), 'deploy', 'crd');
  return readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).flatMap((f) => readYaml(readFileSync(join(crdDir, f), 'utf8')));
}

type CrdVersion = { name: string; served: boolean; storage: boolean; schema: { openAPIV3Schema: unknown }; [k: string]: unknown };

function schemaOf(crd: KubeObject): KubeObject {
  const spec = crd['spec'] as { group: string; names: { plural: string }; scope: string; versions: CrdVersion[] };
  return {
    apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema',
    metadata: { name: `v082.${spec.names.plural}.${spec.group}` },
    spec: {
      group: spec.group, names: spec.names, scope: spec.scope,
      // kcp refuses a schema of several versions without a conversion; kube-bind's versions share one shape.
      conversion: { strategy: 'None' },
      versions: spec.versions.map(({ schema, ...v }) => ({ ...v, schema: schema.openAPIV3Schema })),
    },
  };
}

/** Makes root:kube-bind with the kube-bind.io export and binds it in `workspace`, claims accepted. */
export async function bindPlatformKubeBind(rootAdmin: (path: string) => string, workspace: string): Promise<void> {
  const root = rootAdmin('root');
  kubectl(root, ['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'kube-bind' },
  }));
  await until('workspace root:kube-bind Ready', () => {
    const ws = JSON.parse(kubectl(root, ['get', 'workspaces.tenancy.kcp.io', 'kube-bind', '-o', 'json']));
    return ws.status?.phase === 'Ready' || undefined;
  }, 120_000);
  const platform = rootAdmin('root:kube-bind');
  const schemas = kubeBindCrds().map(schemaOf);
  kubectl(platform, ['apply', '--server-side', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: schemas }));
  const exportObject = {
    apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'kube-bind.io' },
    spec: {
      resources: schemas.map((s) => ({ group: 'kube-bind.io', name: (s['spec'] as { names: { plural: string } }).names.plural,
        schema: s.metadata.name, storage: { crd: {} } })),
      permissionClaims: claims.map(([group, resource]) => ({ group, resource, verbs: ['*'] })),
    },
  };
  kubectl(platform, ['apply', '--server-side', '-f', '-'], JSON.stringify(exportObject));
  const consumer = rootAdmin(workspace);
  kubectl(consumer, ['apply', '--server-side', '-f', '-'], JSON.stringify({
    apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBinding', metadata: { name: 'kube-bind.io' },
    spec: {
      reference: { export: { path: 'root:kube-bind', name: 'kube-bind.io' } },
      permissionClaims: claims.map(([group, resource]) => ({ group, resource, verbs: ['*'], selector: { matchAll: true }, state: 'Accepted' })),
    },
  }));
  // MESH.md's check for this step: the binding exists and is Bound.
  await until(`APIBinding kube-bind.io Bound in ${workspace}`, () => {
    const b = JSON.parse(kubectl(consumer, ['get', 'apibindings.apis.kcp.io', 'kube-bind.io', '-o', 'json']));
    return b.status?.phase === 'Bound' || undefined;
  }, 120_000);
}
