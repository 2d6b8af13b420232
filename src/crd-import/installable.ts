import { packageRoot } from '../package-info.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { upstreamByGroup } from './upstream.js';

/**
 * CRDs p2c installs itself, because it replaces the upstream Helm chart that would:
 * - `publishedresources.syncagent.kcp.io`: the api-syncagent binary only watches it; the chart installs it
 *   (kcp-dev/helm-charts charts/api-syncagent, templates/crd-publishedresource.yaml, appVersion v0.7.0).
 * - the kube-bind backend chart's CRDs (kube-bind/kube-bind v0.8.1 deploy/charts/backend/crds/, eleven files;
 *   the backend binary installs none: backend/deploy/bootstrap.go is never called). `apiconversions` is not
 *   in the chart, so not here either.
 * Not the konnector's `apiservicebindings`/`apiservicebindingbundles`: the konnector creates and updates those
 * itself at start (pkg/konnector/server.go, deploy/crd/bootstrap.go), so GitOps owning them would fight it.
 */
export const installableCrds = {
  apiSyncAgent: ['publishedresources.syncagent.kcp.io'],
  kubeBindBackend: [
    'apiservicebindingbundles.kube-bind.io', 'apiservicebindings.kube-bind.io', 'apiserviceexportrequests.kube-bind.io',
    'apiserviceexports.kube-bind.io', 'apiserviceexporttemplates.kube-bind.io', 'apiservicenamespaces.kube-bind.io',
    'bindableresourcesrequests.kube-bind.io', 'boundschemas.kube-bind.io', 'clusterbindings.kube-bind.io',
    'clusters.kube-bind.io', 'collections.kube-bind.io',
  ],
} as const;

export const upstreamAnnotation = 'p2c.dev/upstream';

const allInstallable: ReadonlySet<string> = new Set(Object.values(installableCrds).flat());

export function isInstallable(name: string): boolean {
  return allInstallable.has(name);
}

type Node = { [key: string]: unknown };

/** A schema without its prose: descriptions are upstream text, and the API server needs none of it. */
function withoutDescriptions(node: Node): Node {
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description') continue;
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Node>).map(([k, v]) => [k, withoutDescriptions(v)]));
    } else if (Array.isArray(value)) {
      out[key] = key === 'allOf' || key === 'anyOf' || key === 'oneOf' ? value.map((v) => withoutDescriptions(v as Node)) : value;
    } else if (value && typeof value === 'object' && (key === 'items' || key === 'additionalProperties' || key === 'not')) {
      out[key] = withoutDescriptions(value as Node);
    } else {
      out[key] = value;
    }
  }
  return out;
}

interface CrdIn {
  metadata: { name: string };
  spec: { group: string; versions: Array<{ schema?: { openAPIV3Schema?: Node } } & Node> } & Node;
}

/** The CRD object as p2c installs it: upstream's spec without descriptions, the upstream release recorded. */
export function installableCrd(crd: CrdIn): Node {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crd.metadata.name, annotations: { [upstreamAnnotation]: upstreamByGroup[crd.spec.group] ?? 'unknown' } },
    spec: {
      ...crd.spec,
      versions: crd.spec.versions.map((v) => (v.schema?.openAPIV3Schema ? { ...v, schema: { openAPIV3Schema: withoutDescriptions(v.schema.openAPIV3Schema) } } : v)),
    },
  };
}

const bundledCrdDir = path.join(packageRoot, 'schemas/crds');
const loaded = new Map<string, Node>();

/** An installable CRD as `p2c import-crds` wrote it into schemas/crds/. */
export function loadInstallableCrd(name: string): Node {
  let crd = loaded.get(name);
  if (!crd) loaded.set(name, (crd = JSON.parse(fs.readFileSync(path.join(bundledCrdDir, `${name}.json`), 'utf8')) as Node));
  return crd;
}
