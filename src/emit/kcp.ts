import { securityException } from '../validate/security.js';
import type { KubeObject, WorkspaceModel } from '../model/mesh.js';
import type { ResolvedMesh, ResolvedExport, ResolvedBinding, ResolvedWorkspaceType } from '../resolve/resolve.js';
import { parentPath } from '../check/names.js';
import { standardLabels, workspaceTarget, type Manifest } from './manifest.js';
import { createHash } from 'node:crypto';
import type { JsonObject, ServiceResourceModel } from '../model/mesh.js';
import { crdObject } from './crd.js';
import { sortedDeep } from '../output/render.js';
import { rbacSubject } from './rbac.js';
import { contentForLabel } from './marketplace.js';

function workspaceObject(mesh: ResolvedMesh, path: string, type: WorkspaceModel['type'], account?: WorkspaceModel['account']): KubeObject {
  if (account) {
    return {
      apiVersion: 'core.platform-mesh.io/v1alpha1',
      kind: 'Account',
      metadata: { name: path.slice(path.lastIndexOf(':') + 1), labels: standardLabels(mesh.name) },
      spec: { type: account.type, displayName: account.displayName, ...(account.description ? { description: account.description } : {}) },
    };
  }
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: { name: path.slice(path.lastIndexOf(':') + 1), labels: standardLabels(mesh.name) },
    spec: type ? { type: { name: type.name, ...(type.path ? { path: type.path } : {}) } } : {},
  };
}

/**
 * Workspace objects go into the parent's folder. Parents the mesh does not declare are external unless it asks p2c to
 * create them (kcp.createParents): a Workspace p2c writes, GitOps would prune when it leaves.
 */
function workspaces(mesh: ResolvedMesh): Manifest[] {
  const declared = new Map(mesh.workspaces.map((w) => [w.path, w] as const));
  const out: Manifest[] = [];
  const done = new Set<string>(['root']);
  for (const w of mesh.workspaces) {
    for (let p: string | undefined = w.path; p && !done.has(p); p = parentPath(p)) {
      done.add(p);
      const parent = parentPath(p);
      if (!parent) continue;
      const own = declared.get(p);
      if (own?.external || (!own && !mesh.createParents)) continue;
      out.push({ target: workspaceTarget(parent), object: workspaceObject(mesh, p, own?.type, own?.account), origin: own?.origin ?? { path: `(parent workspace ${p})`, ...(w.origin.location ? { location: w.origin.location } : {}) } });
    }
  }
  return out;
}

type CrdSpec = { group: string; names: object; scope: string; conversion?: object; versions: Array<{ name: string; served: boolean; storage: boolean; schema?: { openAPIV3Schema?: object }; subresources?: object; additionalPrinterColumns?: object[] }> };

/** The APIResourceSchema of an operator's own CRD. Its name carries a content hash: schemas are immutable in kcp. */
function apiResourceSchema(mesh: ResolvedMesh, r: ServiceResourceModel): KubeObject {
  const crd = (r.crd as unknown as { spec: CrdSpec }).spec;
  const spec = {
    group: crd.group,
    names: crd.names,
    scope: crd.scope,
    versions: crd.versions.map((v) => ({
      name: v.name, served: v.served, storage: v.storage,
      schema: v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      ...(v.subresources ? { subresources: v.subresources } : {}),
      ...(v.additionalPrinterColumns ? { additionalPrinterColumns: v.additionalPrinterColumns } : {}),
    })),
    ...(crd.versions.length > 1 ? { conversion: crd.conversion ?? { strategy: 'None' } } : {}),
  };
  const hash = createHash('sha256').update(JSON.stringify(sortedDeep(spec))).digest('hex').slice(0, 10);
  return { apiVersion: 'apis.kcp.io/v1alpha1', kind: 'APIResourceSchema', metadata: { name: `v${hash}.${r.plural}.${r.group}`, labels: standardLabels(mesh.name) }, spec };
}

function apiExport(mesh: ResolvedMesh, e: ResolvedExport, schemas: readonly KubeObject[]): KubeObject {
  // With api-syncagent, spec.resources is the agent's: it creates the APIResourceSchemas and fills it.
  return {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIExport',
    metadata: {
      name: e.name,
      // The portal lists what carries the export's name in this label (emit/marketplace.ts).
      labels: e.marketplace ? { [contentForLabel]: e.name, ...standardLabels(mesh.name) } : standardLabels(mesh.name),
      ...(e.syncAgent || e.breakingChange
        ? { annotations: { ...(e.syncAgent ? syncAgentExportAnnotations(e) : {}), ...(e.breakingChange ? { [breakingChangeAnnotation]: e.breakingChange } : {}) } }
        : {}),
    },
    spec: {
      ...(schemas.length
        ? { resources: e.resources.map((r, i) => ({ group: r.group, name: r.plural, schema: schemas[i]!.metadata.name, storage: storageOf(r) })) }
        : {}),
      permissionClaims: e.claims.map((c) => ({
        group: c.group,
        resource: c.resource,
        ...(c.identityHash ? { identityHash: c.identityHash } : {}),
        verbs: [...c.verbs],
      })),
    },
  };
}

/** Where kcp keeps a resource's objects: CRD storage, or the cache (kcp v0.32 APIExport storage.virtual). */
function storageOf(r: ServiceResourceModel): JsonObject {
  if (!r.cached) return { crd: {} };
  return { virtual: { identityHash: r.cached.identityHash, reference: { apiGroup: 'cache.kcp.io', kind: 'CachedResourceEndpointSlice', name: r.cached.name } } };
}

/**
 * A cached kind in the provider workspace: its CRD, the CachedResource replicating its objects and the endpoint slice
 * the export points at (kcp v0.32.0 config/examples/virtualresources; both cache.kcp.io kinds are system CRDs of every
 * workspace, config/system-crds/bootstrap.go).
 */
function cacheObjects(mesh: ResolvedMesh, e: ResolvedExport, r: ServiceResourceModel): KubeObject[] {
  const c = r.cached!;
  const labels = standardLabels(mesh.name);
  return [
    crdObject(mesh.name, r.crd),
    {
      apiVersion: 'cache.kcp.io/v1alpha1', kind: 'CachedResource', metadata: { name: c.name, labels },
      spec: {
        group: r.group, version: c.version, resource: r.plural,
        ...(c.identitySecret ? { identity: { secretRef: { ...c.identitySecret } } } : {}),
        ...(c.labelSelector ? { labelSelector: c.labelSelector } : {}),
      },
    },
    { apiVersion: 'cache.kcp.io/v1alpha1', kind: 'CachedResourceEndpointSlice', metadata: { name: c.name, labels }, spec: { cachedResource: { name: c.name }, export: { name: e.name } } },
  ];
}

/** The provider's word that a breaking change of the export's API is intended (read by review/contracts.ts). */
export const breakingChangeAnnotation = 'p2c.dev/breaking-change';

/** kcp's annotation that carries v1alpha1-only claim fields (`all`, `resourceSelector`) on a v1alpha2 APIExport. */
export const v1alpha1ClaimsAnnotation = 'apis.v1alpha2.kcp.io/v1alpha1-permission-claims';
export const agentNameAnnotation = 'syncagent.kcp.io/agent-name';

/**
 * api-syncagent v0.7.0 reads and updates its APIExport as apis.kcp.io/v1alpha1 and counts a claim as present
 * only with `all: true` and no resourceSelector (internal/controller/apiexport/reconciler.go); otherwise it
 * appends it again, and the duplicate {group, resource} fails the whole update. kcp v0.32 converts a v1alpha2
 * claim to v1alpha1 with `all` taken only from this annotation (sdk apis/apis/v1alpha2/types_apiexport_conversion.go),
 * so the export carries it, byte for byte as kcp writes it back (Go's json.Marshal of the v1alpha1 claims, in
 * the agent's group-then-resource order), together with the agent-name annotation the agent sets. Then the agent
 * finds nothing to change in what GitOps owns, and GitOps sees no drift after the agent's update.
 */
function syncAgentExportAnnotations(e: ResolvedExport): Record<string, string> {
  const v1alpha1 = e.claims.map((c) => ({
    ...(c.group ? { group: c.group } : {}),
    resource: c.resource,
    all: true,
    ...(c.identityHash ? { identityHash: c.identityHash } : {}),
  }));
  return { [v1alpha1ClaimsAnnotation]: JSON.stringify(v1alpha1), [agentNameAnnotation]: e.syncAgent!.agentName };
}

const teamIndex = new WeakMap<ResolvedMesh, Map<string, ResolvedMesh['teams'][number]>>();

/** Who binds an export: its consumer teams' subjects, and whoever applies a WorkspaceType binding it by default. */
function subjectsOf(mesh: ResolvedMesh, e: ResolvedExport) {
  let teams = teamIndex.get(mesh);
  if (!teams) teamIndex.set(mesh, (teams = new Map(mesh.teams.map((t) => [t.name, t] as const))));
  const seen = new Map<string, { kind: string; name: string; apiGroup?: string; namespace?: string }>();
  const open = e.marketplace?.openTo === 'authenticated' ? [{ kind: 'Group' as const, name: 'system:authenticated' }]
    : e.marketplace?.openTo === 'anonymous' ? [{ kind: 'User' as const, name: 'system:anonymous' }] : [];
  for (const s of [...e.consumers.flatMap((b) => teams.get(b.team)?.subjects ?? []), ...e.typeAppliers, ...open]) {
    const subject = rbacSubject(s);
    seen.set(`${subject.kind}/${subject.namespace ?? ''}/${subject.name}`, subject);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, s]) => s);
}

/** Why everyone may bind an export, both reasons when both hold. */
function publicReason(e: ResolvedExport): string {
  const open = e.marketplace?.openTo;
  return [
    ...(e.public ? ['the export is declared public'] : []),
    ...(open ? [`the marketplace listing opens it to ${open === 'anonymous' ? 'anonymous users' : 'every authenticated user'}`] : []),
  ].join('; ');
}

/** `bind` on exactly this export, for exactly the declared consumers. */
function bindRbac(mesh: ResolvedMesh, e: ResolvedExport): KubeObject[] {
  const name = `p2c:bind:${e.name}`;
  const role: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: standardLabels(mesh.name) },
    rules: [{ apiGroups: ['apis.kcp.io'], resources: ['apiexports'], resourceNames: [e.name], verbs: ['bind'] }],
  };
  const subjects = subjectsOf(mesh, e);
  if (subjects.length === 0) return [role];
  return [role, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      name, labels: standardLabels(mesh.name),
      ...(e.public || e.marketplace?.openTo ? { annotations: securityException('public-access', publicReason(e)) } : {}),
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects,
  }];
}

function apiBinding(mesh: ResolvedMesh, b: ResolvedBinding, e: ResolvedExport): KubeObject {
  return {
    apiVersion: 'apis.kcp.io/v1alpha2',
    kind: 'APIBinding',
    metadata: { name: b.name, labels: standardLabels(mesh.name) },
    spec: {
      reference: { export: { path: e.workspacePath, name: e.name } },
      permissionClaims: e.claims.map((c) => ({
        group: c.group,
        resource: c.resource,
        identityHash: c.identityHash,
        verbs: [...c.verbs],
        state: b.reject.includes(c.key) ? 'Rejected' : 'Accepted',
        selector: { matchAll: true },
      })),
    },
  };
}

const typeRef = (r: { name: string; path?: string }) => ({ name: r.name, ...(r.path ? { path: r.path } : {}) });

/** A WorkspaceType as kcp v0.32 serves it (tenancy.kcp.io/v1alpha1); a default binding without path is its own workspace's. */
function workspaceType(mesh: ResolvedMesh, t: ResolvedWorkspaceType): KubeObject {
  return {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'WorkspaceType',
    metadata: { name: t.name, labels: { ...t.labels, ...standardLabels(mesh.name) } },
    spec: {
      ...(t.extend.length ? { extend: { with: t.extend.map(typeRef) } } : {}),
      ...(t.defaultChildType ? { defaultChildWorkspaceType: typeRef(t.defaultChildType) } : {}),
      ...(t.limitAllowedParents ? { limitAllowedParents: { types: t.limitAllowedParents.map(typeRef) } } : {}),
      ...(t.limitAllowedChildren ? { limitAllowedChildren: { types: t.limitAllowedChildren.map(typeRef) } } : {}),
      ...(t.defaultBindings.length ? { defaultAPIBindings: t.defaultBindings.map((d) => ({ export: d.export.name, ...(d.export.path ? { path: d.export.path } : {}) })) } : {}),
      ...(t.lifecycle ? { defaultAPIBindingLifecycle: t.lifecycle } : {}),
    },
  };
}

/** kcp: workspaces, APIExports with their claims, bind RBAC in providers, APIBindings in consumers. */
export function emitKcp(mesh: ResolvedMesh): Manifest[] {
  const out = workspaces(mesh);
  for (const t of mesh.workspaceTypes) out.push({ target: workspaceTarget(t.path), object: workspaceType(mesh, t), origin: t.origin });
  for (const e of mesh.exports) {
    // An external export is someone else's: its APIExport and who may bind it are theirs to write.
    if (!e.workspacePath || e.external) continue;
    const target = workspaceTarget(e.workspacePath);
    const schemas = e.syncAgent ? [] : e.resources.map((r) => apiResourceSchema(mesh, r));
    for (const object of schemas) out.push({ target, object, origin: e.origin });
    for (const r of e.resources.filter((x) => x.cached)) for (const object of cacheObjects(mesh, e, r)) out.push({ target, object, origin: e.origin });
    out.push({ target, object: apiExport(mesh, e, schemas), origin: e.origin });
    for (const o of bindRbac(mesh, e)) out.push({ target, object: o, origin: e.origin });
  }
  for (const b of mesh.bindings) {
    if (!b.target?.workspacePath || !b.workspacePath) continue;
    out.push({ target: workspaceTarget(b.workspacePath), object: apiBinding(mesh, b, b.target), origin: b.origin });
  }
  return out;
}
