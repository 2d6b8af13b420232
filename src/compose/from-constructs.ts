import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Mesh } from '../../constructs/mesh.js';
import { Team } from '../../constructs/team.js';
import { Workspace } from '../../constructs/workspace.js';
import { ComputeCluster } from '../../constructs/compute-cluster.js';
import { ProvidedAPI } from '../../constructs/provided-api.js';
import { Binding } from '../../constructs/binding.js';
import { Operator } from '../../constructs/operator.js';
import { ServedAPI, type ServedAPIShape } from '../../constructs/served-api.js';
import { KubeBindBackend, KubeBindBinding, KubeBindOffer } from '../../constructs/kube-bind.js';
import { ResourceGraph } from '../../constructs/resource-graph.js';
import { InstalledAPI } from '../../constructs/installed-api.js';
import { declarationOf } from '../../constructs/declared.js';
import { ExternalExport } from '../../constructs/external-export.js';
import { WorkspaceType } from '../../constructs/workspace-type.js';
import { accountType, orgsWorkspacePath } from '../../constructs/organization.js';
import { callSiteOf } from '../../constructs/object-call-sites.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { JsonObject, GitOpsEngine, ClusterModel, ExportModel, KubeObject, MeshModel, ServiceResourceModel, Target, UserObjectModel, BindingModel, TeamModel, WorkspaceModel, WorkspaceTypeModel, KubeBindBackendModel, KubeBindOfferModel, KubeBindBindingModel, KroGraphModel, OperatorModel, DeclaredClaimModel, InstalledApiModel } from '../model/mesh.js';
import type { Origin } from '../model/origin.js';
import { kindKey } from '../model/collections.js';
import { projectResource, publishOptionsOf } from '../model/projection.js';
import { graphResource } from '../model/kro-crd.js';

export interface Composed {
  readonly model: MeshModel;
  readonly diagnostics: readonly Diagnostic[];
}

function owningTeam(c: IConstruct): Team | undefined {
  for (let s = c.node.scope; s; s = s.node.scope) if (s instanceof Team) return s;
  return undefined;
}

/** Own declaration, else the nearest declared ancestor's line (cdk8s objects record none). */
/** Mesh.retire calls, as construct paths; a scope outside this mesh, or the mesh itself, is refused. */
function retirements(mesh: Mesh, diagnostics: Diagnostic[]): MeshModel['retired'] {
  return mesh.retirements.flatMap((r) => {
    const origin: Origin = { path: r.scope.node.path, location: r.location };
    const problem = r.scope.node.root !== mesh ? 'retire() names a construct of another mesh'
      : r.scope === mesh ? 'retire() names the whole mesh; retire teams, bindings, APIs or clusters one by one'
      : typeof r.reason !== 'string' || r.reason.trim() === '' ? 'retire() needs a reason, written on the objects for reviewers' : undefined;
    if (problem) {
      diagnostics.push(diagnostic('invalidInput', origin, problem, "mesh.retire(team, 'why it goes')"));
      return [];
    }
    return [{ path: r.scope.node.path, reason: r.reason.trim(), origin }];
  });
}

function originOf(c: IConstruct): Origin {
  const own = declarationOf(c);
  if (own) return own.origin;
  // A plain cdk8s object: the line that created it, else (a copy of `constructs` p2c could not hook) the nearest
  // enclosing construct's line.
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const site = declarationOf(s)?.origin.location ?? callSiteOf(s);
    if (site) return { path: c.node.path, location: site };
  }
  return { path: c.node.path };
}

/** The folder target of a cdk8s object: the nearest p2c workspace or cluster chart above it. */
/** The workspace or cluster a construct sits in. */
function placeOf(c: IConstruct): Target | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    if (Workspace.isWorkspace(s)) return { type: 'workspace', path: s.path };
    if (ComputeCluster.isComputeCluster(s)) return { type: 'cluster', name: s.name };
  }
  return undefined;
}

function targetOf(obj: ApiObject): Target | undefined {
  let chart: Chart | undefined;
  try {
    chart = Chart.of(obj);
  } catch {
    return undefined;
  }
  for (let s: IConstruct | undefined = chart; s; s = s.node.scope) {
    if (Workspace.isWorkspace(s)) return { type: 'workspace', path: s.path };
    if (ComputeCluster.isComputeCluster(s)) return { type: 'cluster', name: s.name };
  }
  return undefined;
}

function serviceResource(crd: ProvidedAPI['crds'][number]): ServiceResourceModel {
  const versions = crd.spec.versions.filter((v) => v.served !== false);
  return {
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    plural: crd.spec.names.plural,
    scope: crd.spec.scope,
    versions: versions.map((v) => v.name),
    hasStatus: versions.some((v) => typeof v['subresources'] === 'object' && v['subresources'] !== null && 'status' in (v['subresources'] as object)),
    crd: crd as unknown as KubeObject,
  };
}

/** A kind an external export serves; its schema is the export's, unknown here, so every field is allowed. */
function externalResource(r: NonNullable<ExternalExport['props']['resources']>[number]): ServiceResourceModel {
  const plural = r.plural ?? `${r.kind.toLowerCase()}s`;
  const versions = [...(r.versions ?? ['v1alpha1'])];
  const scope = r.scope ?? 'Cluster';
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${r.group}` },
    spec: { group: r.group, names: { kind: r.kind, plural }, scope, versions: versions.map((name, i) => ({ name, served: true, storage: i === 0, schema: { openAPIV3Schema: open } })) },
  } as KubeObject;
  return { group: r.group, kind: r.kind, plural, scope, versions, hasStatus: false, crd };
}

function offerModel(c: KubeBindOffer): KubeBindOfferModel {
  const p = c.props;
  const backend = c.backend;
  const namespace = backend.props.namespace ?? 'kube-bind';
  const graph = p.api instanceof ResourceGraph ? graphModel(p.api) : undefined;
  const resources = graph ? [graphResource(graph)] : c.crds.map(serviceResource);
  const isBinding = resources.length === 0 && p.api instanceof Binding;
  const name = p.name ?? (resources[0] ? `${resources[0].plural}.${resources[0].group}` : isBinding ? (p.api as Binding).props.name ?? bindingExportName(p.api as Binding) : c.node.id);
  return {
    key: `${backend.cluster.name}/${namespace}/${c.node.id}`,
    name,
    backend: `${backend.cluster.name}/${namespace}`,
    api: isBinding
      ? { type: 'binding', binding: (p.api as Binding).props.name ?? bindingExportName(p.api as Binding) }
      : graph ? { type: 'crd', resources, installCrd: false, graph: { cluster: graph.cluster, name: graph.name } } : { type: 'crd', resources, installCrd: p.installCrd ?? true },
    claims: (p.claims ?? []).map((cl) => ({ group: cl.group ?? '', resource: cl.resource ?? 'secrets', reference: cl.reference })),
    scope: p.scope ?? backend.props.consumerScope ?? (backend.props.kcpWorkspace ? 'Cluster' : 'Namespaced'),
    origin: originOf(c),
  };
}

function graphModel(c: ResourceGraph): KroGraphModel {
  const p = c.props;
  const group = p.schema.group ?? 'kro.run';
  const team = owningTeam(c);
  return {
    name: p.name ?? `${p.schema.kind.toLowerCase()}s.${group}`,
    cluster: c.cluster.name,
    ...(team ? { team: team.name } : {}),
    schema: { ...p.schema, group },
    resources: p.resources.map((r) => ({
      id: r.id,
      ...(r.template ? { template: r.template } : {}),
      ...(r.externalRef ? { externalRef: r.externalRef } : {}),
      readyWhen: [...(r.readyWhen ?? [])],
      includeWhen: [...(r.includeWhen ?? [])],
      forEach: (r.forEach ?? []).map((f) => ({ ...f })),
    })),
    origin: originOf(c),
  };
}

function marketplaceModel(m: NonNullable<ServedAPI['props']['marketplace']>): NonNullable<ExportModel['marketplace']> {
  return {
    ...(m.providerMetadata ? { providerMetadata: structuredClone(m.providerMetadata) as JsonObject } : {}),
    contentConfigurations: (m.contentConfigurations ?? []).map((x) => ({ name: x.name, ...(x.entity ? { entity: x.entity } : {}), spec: structuredClone(x.spec) as JsonObject })),
    ...(m.openTo ? { openTo: m.openTo } : {}),
  };
}

/** What every export records, however it is served. */
function exportBase(c: ServedAPI<ServedAPIShape>, team: Team | undefined) {
  return {
    name: c.exportName,
    team: team?.name ?? '',
    ...(team?.workspace ? { workspacePath: team.workspace.path } : {}),
    resources: c.crds.map(serviceResource),
    ...(c.props.identityHash ? { identityHash: c.props.identityHash } : {}),
    ...(c.props.public === true ? { public: true } : {}),
    ...(c.props.breakingChange ? { breakingChange: c.props.breakingChange } : {}),
    ...(c.props.marketplace ? { marketplace: marketplaceModel(c.props.marketplace) } : {}),
    origin: originOf(c),
  };
}

/** The export a Binding or a default binding names. */
function exportRefOf(api: Binding['props']['api']): { path: string; name: string } {
  return api instanceof ServedAPI
    ? { path: owningTeam(api)?.workspace?.path ?? '', name: api.exportName }
    : api instanceof ExternalExport ? { path: api.props.path, name: api.props.name } : { path: api.path, name: api.name };
}

/**
 * The WorkspaceType account-operator gives an account's workspace: `<org>-<account type>` in root:orgs, the org being
 * the account itself for an organization (platform-mesh/account-operator pkg/subroutines/workspace/workspace.go).
 */
function accountWorkspaceType(path: string, type: string): WorkspaceTypeModel['extend'][number] | undefined {
  const prefix = `${orgsWorkspacePath}:`;
  if (!path.startsWith(prefix)) return undefined;
  return accountType(path.slice(prefix.length).split(':')[0]!, type);
}

function bindingExportName(b: Binding): string {
  const api = b.props.api;
  return api instanceof ServedAPI ? api.exportName : api instanceof ExternalExport ? api.props.name : api.name;
}

/**
 * Walks the construct tree once and turns it into the plain-data model. This is the only
 * phase that knows about constructs; everything after it sees data.
 */
export function composeMesh(mesh: Mesh): Composed {
  const diagnostics: Diagnostic[] = [];
  const teams: TeamModel[] = [];
  const workspaces: WorkspaceModel[] = [];
  const workspaceTypes: WorkspaceTypeModel[] = [];
  const clusters: ClusterModel[] = [];
  const exports: ExportModel[] = [];
  const bindings: BindingModel[] = [];
  const userObjects: UserObjectModel[] = [];
  const installedApis: InstalledApiModel[] = [];
  const kubeBindBackends: KubeBindBackendModel[] = [];
  const kubeBindOffers: KubeBindOfferModel[] = [];
  const bindingsKubeBind: KubeBindBindingModel[] = [];
  const kroGraphs: KroGraphModel[] = [];
  const operators: OperatorModel[] = [];

  for (const c of mesh.node.findAll()) {
    const decl = declarationOf(c);
    if (decl) for (const p of decl.problems) diagnostics.push(diagnostic(p.check, decl.origin, p.message, p.hint));
    const team = owningTeam(c);

    if (c instanceof Team) {
      teams.push({ name: c.name, ...(c.workspace ? { workspacePath: c.workspace.path } : {}), subjects: c.subjects.map((s) => ({ ...s })), owners: [...c.owners], origin: originOf(c) });
    } else if (Workspace.isWorkspace(c)) {
      const name = c.path.slice(c.path.lastIndexOf(':') + 1);
      const account = c.account ? { type: c.account.type ?? 'account', displayName: c.account.displayName ?? name, ...(c.account.description ? { description: c.account.description } : {}) } : undefined;
      const type = account ? accountWorkspaceType(c.path, account.type) : c.type ? { ...c.type } : undefined;
      workspaces.push({ path: c.path, ...(team ? { owner: team.name } : {}), ...(type ? { type } : {}), ...(account ? { account } : {}), ...(c.external ? { external: true } : {}), origin: originOf(c) });
    } else if (c instanceof WorkspaceType) {
      const p = c.props;
      const refs = (xs: readonly { name: string; path?: string }[] | undefined) => xs?.map((x) => ({ name: x.name, ...(x.path ? { path: x.path } : {}) }));
      workspaceTypes.push({
        name: p.name ?? c.node.id,
        path: p.path,
        ...(team ? { owner: team.name } : {}),
        labels: { ...p.labels },
        extend: refs(p.extend) ?? [],
        ...(p.defaultChildWorkspaceType ? { defaultChildType: refs([p.defaultChildWorkspaceType])![0]! } : {}),
        ...(p.limitAllowedChildren ? { limitAllowedChildren: refs(p.limitAllowedChildren)! } : {}),
        ...(p.limitAllowedParents ? { limitAllowedParents: refs(p.limitAllowedParents)! } : {}),
        ...(p.defaultAPIBindingLifecycle ? { lifecycle: p.defaultAPIBindingLifecycle } : {}),
        defaultBindings: (p.defaultAPIBindings ?? []).map((d) => ({ export: exportRefOf(d.api), accept: [...d.acceptClaims], origin: originOf(c) })),
        appliedBy: (p.appliedBy ?? [{ kind: 'Group', name: 'platform' }]).map((x) => ({ ...x })),
        origin: originOf(c),
      });
    } else if (ComputeCluster.isComputeCluster(c)) {
      clusters.push({ name: c.name, ...(team ? { owner: team.name } : {}), ...(c.server !== undefined ? { server: c.server } : {}), inCluster: c.inCluster, ...(c.kubeconfigSecret !== undefined ? { kubeconfigSecret: c.kubeconfigSecret } : {}), origin: originOf(c) });
    } else if (c instanceof ProvidedAPI) {
      const p = c.props;
      const agentName = `${team?.name ?? 'mesh'}-${c.node.id}`;
      const sources = c.crds.map(serviceResource);
      const publish = (p.publish ?? []).map((o) => ({
        ...(o.kind ? { kind: o.kind } : {}),
        ...(o.name ? { name: o.name } : {}),
        ...(o.projection ? { projection: structuredClone(o.projection) as JsonObject } : {}),
        ...(o.filter ? { filter: structuredClone(o.filter) as JsonObject } : {}),
        ...(o.mutation ? { mutation: structuredClone(o.mutation) as JsonObject } : {}),
      }));
      const projected = sources.map((r) => projectResource(r, publishOptionsOf({ publish, sources }, r.kind)?.projection));
      exports.push({
        ...exportBase(c, team),
        resources: projected,
        syncAgent: {
          sources,
          publish,
          cluster: p.cluster.name,
          related: (p.related ?? []).map((r) => ({
            identifier: r.identifier,
            origin: r.origin,
            group: r.group ?? '',
            version: r.version ?? 'v1',
            resource: r.resource ?? 'secrets',
            ...(r.reference !== undefined ? { reference: r.reference } : {}),
            ...(r.template !== undefined ? { template: r.template } : {}),
            ...(r.identityHash ? { identityHash: r.identityHash } : {}),
            ...(r.kind ? { kind: r.kind } : {}),
          })),
          installCrd: p.installCrd ?? true,
          enableWorkspacePaths: p.enableWorkspacePaths ?? false,
          ...(p.naming ? { naming: { ...p.naming } } : {}),
          agentName,
          agentNamespace: p.agentNamespace ?? 'kcp-api-syncagent',
          agentImage: p.agentImage ?? 'ghcr.io/kcp-dev/api-syncagent:v0.7.0',
          kcpKubeconfigSecret: p.kcpKubeconfigSecret ?? 'kcp-kubeconfig',
          kcpSubject: p.kcpSubject ? { ...p.kcpSubject } : { kind: 'ServiceAccount', name: agentName, namespace: 'default' },
        },
        declaredClaims: [],
      });
    } else if (c instanceof Operator) {
      const p = c.props;
      const claims: DeclaredClaimModel[] = (p.claims ?? []).map((claim) => {
        const verbs = [...(claim.verbs ?? ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'])];
        if ('api' in claim) {
          const crd = claim.api.crds[0];
          const hash = claim.api.props.identityHash;
          return { group: crd?.spec.group ?? '', resource: claim.resource ?? crd?.spec.names.plural ?? '', ...(hash ? { identityHash: hash } : {}), verbs };
        }
        return { group: claim.group, resource: claim.resource, ...(claim.identityHash ? { identityHash: claim.identityHash } : {}), verbs };
      });
      const cached = (p.cached ?? []).flatMap((x, i) => {
        const crd = c.cachedCrds[i];
        if (!crd) return [];
        const r = serviceResource(crd);
        const version = crd.spec.versions.find((v) => v.storage)?.name ?? r.versions[0] ?? 'v1';
        return [{ ...r, cached: { name: x.name ?? r.plural, identityHash: x.identityHash, version, ...(x.identitySecret ? { identitySecret: { ...x.identitySecret } } : {}), ...(x.labelSelector ? { labelSelector: structuredClone(x.labelSelector) as JsonObject } : {}) } }];
      });
      const base = exportBase(c, team);
      exports.push({
        ...base,
        resources: [...base.resources, ...cached],
        operator: c.node.id,
        declaredClaims: claims,
      });
      const by = p.deployedBy ?? 'p2c';
      const mp = typeof by === 'object' ? by.managedProvider : undefined;
      const cluster = mp?.cluster.name ?? p.cluster?.name ?? '';
      const kcpSubject = p.kcpSubject
        ? { kind: p.kcpSubject.kind, name: p.kcpSubject.name, ...(p.kcpSubject.kind === 'ServiceAccount' ? { namespace: p.kcpSubject.namespace ?? 'default' } : {}) }
        : mp ? undefined : { kind: 'ServiceAccount' as const, name: c.node.id, namespace: 'default' };
      operators.push({
        name: c.node.id,
        team: team?.name ?? '',
        ...(team?.workspace ? { workspacePath: team.workspace.path } : {}),
        deployedBy: mp ? 'managedProvider' : (by as 'p2c' | 'user'),
        ...(kcpSubject ? { kcpSubject } : {}),
        createsKcpSubject: !p.kcpSubject && !mp,
        ...(mp ? {
          managedProvider: {
            cluster: mp.cluster.name,
            name: mp.name ?? c.node.id,
            namespace: mp.namespace ?? 'platform-mesh-system',
            platformMesh: mp.platformMesh ?? 'platform-mesh',
            charts: mp.charts.map((x) => ({ chart: x.chart, registry: x.registry, version: x.version, ...(x.type ? { type: x.type } : {}), ...(x.values ? { values: structuredClone(x.values) as JsonObject } : {}) })),
            ...(mp.provider ? { provider: { ...mp.provider } } : {}),
            cleanupOnDelete: mp.cleanupOnDelete ?? false,
            ...(mp.runtimeKubeconfigSecret ? { runtimeKubeconfigSecret: mp.runtimeKubeconfigSecret } : {}),
            ...(mp.providerHostOverride ? { providerHostOverride: mp.providerHostOverride } : {}),
          },
        } : {}),
        cluster,
        deploysInto: p.deploysInto?.name ?? cluster,
        exportName: c.exportName,
        image: p.image ?? '',
        namespace: p.namespace ?? `${c.node.id}-system`,
        kcpKubeconfigSecret: p.kcpKubeconfigSecret ?? `${c.node.id}-kcp-kubeconfig`,
        computeKubeconfigSecret: p.computeKubeconfigSecret ?? `${c.node.id}-compute-kubeconfig`,
        leaderElection: p.leaderElection ?? false,
        workloadRules: (p.workloadRules ?? [
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['services', 'configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
        ]).map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
        workloadNamespaces: p.workloadNamespaces === 'all' ? 'all' : [...new Set(p.workloadNamespaces ?? [p.namespace ?? `${c.node.id}-system`])].sort(),
        origin: originOf(c),
      });
    } else if (c instanceof ExternalExport) {
      const p = c.props;
      exports.push({
        name: p.name, team: '', workspacePath: p.path, resources: (p.resources ?? []).map(externalResource), external: true,
        ...(p.identityHash ? { identityHash: p.identityHash } : {}),
        declaredClaims: (p.claims ?? []).map((x) => ({ group: x.group, resource: x.resource, ...(x.identityHash ? { identityHash: x.identityHash } : {}), verbs: ['*'] })),
        origin: originOf(c),
      });
    } else if (c instanceof Binding) {
      const p = c.props;
      const ref = exportRefOf(p.api);
      bindings.push({
        name: p.name ?? ref.name,
        team: team?.name ?? '',
        ...(team?.workspace ? { workspacePath: team.workspace.path } : {}),
        export: ref,
        accept: [...p.acceptClaims],
        reject: [...(p.rejectClaims ?? [])],
        origin: originOf(c),
      });
    } else if (c instanceof KubeBindBackend) {
      const p = c.props;
      const namespace = p.namespace ?? 'kube-bind';
      const ws = p.kcpWorkspace;
      kubeBindBackends.push({
        key: `${c.cluster.name}/${namespace}`,
        team: team?.name ?? '',
        cluster: c.cluster.name,
        namespace,
        image: p.image ?? 'ghcr.io/kube-bind/backend:v0.8.1',
        prettyName: p.prettyName ?? team?.name ?? c.node.id,
        consumerScope: p.consumerScope ?? (ws ? 'Cluster' : 'Namespaced'),
        ...(p.externalAddress ? { externalAddress: p.externalAddress } : {}),
        ...(p.oidc ? { oidc: { ...p.oidc, clientSecret: { ...p.oidc.clientSecret } } } : {}),
        source: ws
          ? { type: 'kcp', workspacePath: ws.path, platformWorkspace: p.platformWorkspace ?? 'root:kube-bind', endpointSlice: p.endpointSlice ?? 'kube-bind.io', kubeconfigSecret: p.kcpKubeconfigSecret ?? 'kube-bind-kcp-kubeconfig' }
          : { type: 'cluster' },
        origin: originOf(c),
      });
    } else if (c instanceof KubeBindOffer) {
      kubeBindOffers.push(offerModel(c));
    } else if (c instanceof KubeBindBinding) {
      const p = c.props;
      const offer = offerModel(p.offer);
      bindingsKubeBind.push({
        name: p.name ?? offer.name,
        cluster: c.cluster.name,
        ...(team ? { team: team.name } : {}),
        offer: offer.key,
        kubeconfigSecret: p.kubeconfigSecret ?? `kubeconfig-${p.offer.backend.cluster.name}`,
        bundle: p.bundle ?? false,
        konnectorImage: p.konnectorImage ?? 'ghcr.io/kube-bind/konnector:v0.8.1',
        origin: originOf(c),
      });
    } else if (c instanceof ResourceGraph) {
      kroGraphs.push(graphModel(c));
    } else if (c instanceof InstalledAPI) {
      const target = placeOf(c);
      if (!target) diagnostics.push(diagnostic('noOwner', originOf(c), 'an InstalledAPI belongs in a compute cluster or a workspace', "new InstalledAPI(cluster, 'gateway-api', { … })"));
      else installedApis.push({ target, crds: c.crds.map((x) => ({ ...x }) as KubeObject), group: c.props.group ?? '', kinds: [...(c.props.kinds ?? [])], versions: [...(c.props.versions ?? ['v1'])], origin: originOf(c) });
    } else if (c instanceof ApiObject) {
      const target = targetOf(c);
      const origin = originOf(c);
      if (!target) {
        diagnostics.push(diagnostic('noOwner', origin, `object ${c.kind}/${c.name} is not inside a team's workspace or compute cluster`, 'add it to team.workspace or to a ComputeCluster'));
        continue;
      }
      let object: KubeObject;
      try {
        object = c.toJson() as KubeObject;
      } catch (e) {
        diagnostics.push(diagnostic('invalidInput', origin, `cdk8s could not render ${c.kind}/${c.name}: ${(e as Error).message.split('\n')[0]}`));
        continue;
      }
      userObjects.push({ target, object, origin });
    }
  }

  const model: MeshModel = {
    name: mesh.meshName,
    ...(mesh.frontProxyUrl !== undefined ? { frontProxyUrl: mesh.frontProxyUrl } : {}),
    origin: mesh.declaration.origin,
    owners: [...mesh.owners],
    createParents: mesh.createParents,
    metadataRules: mesh.metadataRules.map((r) => ({
      path: r.scope.node.path,
      labels: { ...r.labels },
      annotations: { ...r.annotations },
      ...(r.kinds ? { kinds: [...r.kinds] } : {}),
      origin: { path: r.scope.node.path, location: r.location },
    })),
    gitops: {
      engines: [...new Set<GitOpsEngine>(mesh.gitops.engines ?? ['argocd'])].sort(),
      ...(mesh.gitops.repoURL !== undefined ? { repoURL: mesh.gitops.repoURL } : {}),
      revision: mesh.gitops.revision ?? 'main',
      path: (mesh.gitops.path ?? 'dist').replace(/^\.?\/+|\/+$/g, ''),
      argocdNamespace: mesh.gitops.argocdNamespace ?? 'argocd',
      ...(mesh.gitops.argocdProject !== undefined ? { argocdProject: mesh.gitops.argocdProject } : {}),
      fluxNamespace: mesh.gitops.fluxNamespace ?? 'flux-system',
    },
    teams, workspaces, workspaceTypes, clusters, exports, bindings, userObjects,
    kubeBindBackends, kubeBindOffers, kubeBindBindings: bindingsKubeBind, kroGraphs, operators,
    retired: retirements(mesh, diagnostics),
    installedApis,
    protectedKinds: [...new Set(mesh.protectedKinds.map((k) => kindKey(k.apiGroup ?? '', k.kind)))].sort(),
  };
  return { model, diagnostics };
}
