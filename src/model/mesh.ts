import type { Origin } from './origin.js';

/**
 * The plain-data model of a mesh. Everything after `compose` works on this, never on
 * constructs: it can be built by hand in tests and handed between phases freely.
 */

export type JsonObject = { [key: string]: unknown };

/** A Kubernetes object as plain data. */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
}

export interface SubjectModel {
  readonly kind: 'Group' | 'User' | 'ServiceAccount';
  readonly name: string;
  readonly namespace?: string;
}

export interface TeamModel {
  readonly name: string;
  readonly workspacePath?: string;
  readonly subjects: readonly SubjectModel[];
  /** Who must approve changes to the team's output and mesh source (code-host users or groups). */
  readonly owners: readonly string[];
  readonly origin: Origin;
}

export interface WorkspaceTypeRef {
  readonly name: string;
  readonly path?: string;
}

export interface WorkspaceModel {
  readonly path: string;
  /** Owning team; undefined for a workspace declared outside any team. */
  readonly owner?: string;
  /** Its WorkspaceType: written on a Workspace; for an account, the one account-operator gives its workspace. */
  readonly type?: WorkspaceTypeRef;
  /** A Platform Mesh account: written as an Account, its workspace created by account-operator. */
  readonly account?: { readonly type: 'account' | 'org'; readonly displayName: string; readonly description?: string };
  /** Exists already, made by someone else: p2c writes into it, never creates or prunes it. */
  readonly external?: boolean;
  readonly origin: Origin;
}

/** An API a WorkspaceType binds into every workspace of the type; kcp accepts all its claims. */
export interface DefaultBindingModel {
  readonly export: ExportRef;
  readonly accept: readonly string[];
  readonly origin: Origin;
}

/** A kcp WorkspaceType the mesh writes. */
export interface WorkspaceTypeModel {
  readonly name: string;
  /** Workspace holding it. */
  readonly path: string;
  readonly owner?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly extend: readonly WorkspaceTypeRef[];
  readonly defaultChildType?: WorkspaceTypeRef;
  readonly limitAllowedChildren?: readonly WorkspaceTypeRef[];
  readonly limitAllowedParents?: readonly WorkspaceTypeRef[];
  readonly lifecycle?: 'InitializeOnly' | 'Maintain';
  readonly defaultBindings: readonly DefaultBindingModel[];
  /** Who applies it: kcp admits it only from someone allowed to bind each default export. */
  readonly appliedBy: readonly SubjectModel[];
  readonly origin: Origin;
}

export interface ClusterModel {
  readonly name: string;
  readonly owner?: string;
  /** Argo CD destination server, when declared. */
  readonly server?: string;
  /** Flux: Secret with this cluster's kubeconfig, when declared. */
  readonly kubeconfigSecret?: string;
  /** The cluster the GitOps engine runs in. */
  readonly inCluster: boolean;
  readonly origin: Origin;
}

/** One CRD served by an export. */
export interface ServiceResourceModel {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly string[];
  readonly hasStatus: boolean;
  readonly crd: KubeObject;
  /** Served read-only from kcp's cache (APIExport storage.virtual), its objects kept in the provider workspace. */
  readonly cached?: CachedStorageModel;
}

export interface CachedStorageModel {
  /** CachedResource and CachedResourceEndpointSlice name. */
  readonly name: string;
  readonly identityHash: string;
  readonly identitySecret?: { readonly name: string; readonly namespace: string };
  readonly labelSelector?: JsonObject;
  /** The version cached: the CRD's storage version. */
  readonly version: string;
}

export interface RelatedModel {
  readonly identifier: string;
  readonly origin: 'service' | 'kcp';
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly reference?: string;
  readonly template?: string;
  readonly identityHash?: string;
  /** Only the PublishedResource of this CRD kind carries it. */
  readonly kind?: string;
}

export interface PublishModel {
  readonly kind?: string;
  readonly name?: string;
  readonly projection?: JsonObject;
  readonly filter?: JsonObject;
  readonly mutation?: JsonObject;
}

/** How api-syncagent publishes an export from a compute cluster. */
export interface SyncAgentModel {
  readonly cluster: string;
  readonly related: readonly RelatedModel[];
  readonly installCrd: boolean;
  readonly enableWorkspacePaths: boolean;
  /** PublishedResource naming templates, when given. */
  readonly naming?: { readonly namespace?: string; readonly name?: string };
  /**
   * The CRDs as the service cluster has them, in the order of the export's resources (which are what kcp serves:
   * the same, or projected by `publish[].projection`).
   */
  readonly sources: readonly ServiceResourceModel[];
  /** Per source kind: the PublishedResource's name, projection, filter and mutation, as given. */
  readonly publish: readonly PublishModel[];
  readonly agentName: string;
  readonly agentNamespace: string;
  readonly agentImage: string;
  readonly kcpKubeconfigSecret: string;
  /** Who the agent is in kcp: the identity its kubeconfig carries, granted the agent's RBAC in the workspace. */
  readonly kcpSubject: SubjectModel;
}

/** A claim an export declares itself (operators); api-syncagent's claims are derived instead. */
export interface DeclaredClaimModel {
  readonly group: string;
  readonly resource: string;
  /** Set when given; otherwise taken from the export serving the resource, if any. */
  readonly identityHash?: string;
  readonly verbs: readonly string[];
}

/** An APIExport in a team's workspace, served by api-syncagent or by the team's operator. */
export interface ExportModel {
  readonly name: string;
  readonly team: string;
  /** The team's workspace; undefined when the team has none (a check reports it). */
  readonly workspacePath?: string;
  readonly resources: readonly ServiceResourceModel[];
  readonly identityHash?: string;
  /** Present when api-syncagent publishes the export. */
  readonly syncAgent?: SyncAgentModel;
  /** Name of the operator serving the export, when it is an operator's own API. */
  readonly operator?: string;
  readonly declaredClaims: readonly DeclaredClaimModel[];
  /** Everyone may be among its consumers (ServedAPIProps.public). */
  readonly public?: boolean;
  /** Exists outside the mesh (ExternalExport): bound and checked, never emitted. */
  readonly external?: boolean;
  /** Why a contract change that breaks consumers is intended (ServedAPIProps.breakingChange). */
  readonly breakingChange?: string;
  /** Platform Mesh marketplace listing (ServedAPIProps.marketplace). */
  readonly marketplace?: MarketplaceModel;
  readonly origin: Origin;
}

export interface MarketplaceModel {
  readonly providerMetadata?: JsonObject;
  readonly contentConfigurations: readonly { readonly name: string; readonly entity?: string; readonly spec: JsonObject }[];
  readonly openTo?: 'authenticated' | 'anonymous';
}

export interface ExportRef {
  readonly path: string;
  readonly name: string;
}

export interface BindingModel {
  readonly name: string;
  readonly team: string;
  readonly workspacePath?: string;
  readonly export: ExportRef;
  readonly accept: readonly string[];
  readonly reject: readonly string[];
  readonly origin: Origin;
}

/** Where objects go: a kcp workspace or a compute cluster (a later stage of one: see resolve/stages.ts). */
export type Target =
  | { readonly type: 'workspace'; readonly path: string; readonly stage?: number }
  | { readonly type: 'cluster'; readonly name: string; readonly stage?: number }
  | { readonly type: 'gitops'; readonly engine: GitOpsEngine };

export type GitOpsEngine = 'argocd' | 'flux';

/** Where the output lives in Git and which engines apply it. */
export interface GitOpsModel {
  readonly engines: readonly GitOpsEngine[];
  /** The Git repository the engines read; undefined when neither the mesh nor the work tree's `origin` says. */
  readonly repoURL?: string;
  readonly revision: string;
  /** Folder of the output inside the repository, e.g. `dist`. */
  readonly path: string;
  readonly argocdNamespace: string;
  /** One Argo CD project for every app, when the mesh names one; else a project per team and one for the platform. */
  readonly argocdProject?: string;
  readonly fluxNamespace: string;
}

/** An object a user added with cdk8s to a workspace or cluster. */
export interface UserObjectModel {
  readonly target: Target;
  readonly object: KubeObject;
  readonly origin: Origin;
}

export interface KubeBindBackendModel {
  /** `<cluster>/<namespace>`: one backend per cluster namespace. */
  readonly key: string;
  readonly team: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly image: string;
  readonly prettyName: string;
  readonly consumerScope: 'Namespaced' | 'Cluster';
  readonly externalAddress?: string;
  readonly oidc?: { readonly issuerUrl: string; readonly clientId: string; readonly clientSecret: { readonly name: string; readonly key: string }; readonly callbackUrl: string };
  /** `cluster`: offers CRDs of its own cluster. `kcp`: offers APIs bound in a kcp workspace. */
  readonly source: { readonly type: 'cluster' } | {
    readonly type: 'kcp'; readonly workspacePath?: string; readonly platformWorkspace: string; readonly endpointSlice: string;
    readonly kubeconfigSecret: string;
  };
  readonly origin: Origin;
}

export interface KubeBindClaimModel {
  readonly group: string;
  readonly resource: string;
  /** Field of the bound object naming the claimed object, e.g. `spec.connectionSecretName`. */
  readonly reference: string;
}

/** One API a kube-bind backend offers: an APIServiceExportTemplate. */
export interface KubeBindOfferModel {
  readonly key: string;
  readonly name: string;
  readonly backend: string;
  /** CRDs of the backend's cluster, or a binding of the backend's workspace (kcp mode). */
  readonly api:
    | { readonly type: 'crd'; readonly resources: readonly ServiceResourceModel[]; readonly installCrd: boolean; readonly graph?: KroGraphRef }
    | { readonly type: 'binding'; readonly binding: string };
  readonly claims: readonly KubeBindClaimModel[];
  readonly scope: 'Namespaced' | 'Cluster';
  readonly origin: Origin;
}

/** A KRO graph by cluster and name: kro makes the CRD of its kind. */
export interface KroGraphRef {
  readonly cluster: string;
  readonly name: string;
}

/** A consumer cluster binding a kube-bind offer through its konnector. */
export interface KubeBindBindingModel {
  readonly name: string;
  readonly cluster: string;
  readonly team?: string;
  readonly offer: string;
  readonly kubeconfigSecret: string;
  readonly bundle: boolean;
  readonly konnectorImage: string;
  readonly origin: Origin;
}

export interface KroResourceModel {
  readonly id: string;
  readonly template?: JsonObject;
  readonly externalRef?: JsonObject;
  readonly readyWhen: readonly string[];
  readonly includeWhen: readonly string[];
  /** Iterators of a collection: name → the list expression it walks. Empty for a single object. */
  readonly forEach: readonly Readonly<Record<string, string>>[];
}

/** A KRO ResourceGraphDefinition placed in a cluster. */
export interface KroGraphModel {
  readonly name: string;
  readonly cluster: string;
  readonly team?: string;
  readonly schema: { readonly apiVersion: string; readonly kind: string; readonly group: string; readonly spec?: JsonObject; readonly status?: JsonObject; readonly types?: JsonObject; readonly scope?: 'Namespaced' | 'Cluster' };
  readonly resources: readonly KroResourceModel[];
  readonly origin: Origin;
}

export interface PolicyRuleModel {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** Platform Mesh's ManagedProvider deploying an operator's charts. */
export interface ManagedProviderModel {
  readonly cluster: string;
  readonly name: string;
  readonly namespace: string;
  readonly platformMesh: string;
  readonly charts: readonly { readonly chart: string; readonly registry: string; readonly version: string; readonly type?: 'oci' | 'helm'; readonly values?: JsonObject }[];
  readonly provider?: { readonly path: string; readonly name: string };
  readonly cleanupOnDelete: boolean;
  readonly runtimeKubeconfigSecret?: string;
  readonly providerHostOverride?: string;
}

/** A multicluster-runtime operator serving its team's own APIExport. */
export interface OperatorModel {
  readonly name: string;
  readonly team: string;
  readonly workspacePath?: string;
  /** Who deploys it: p2c (a Deployment), the user (only the workspace side is written), or a ManagedProvider. */
  readonly deployedBy: 'p2c' | 'user' | 'managedProvider';
  /** The identity of its kcp kubeconfig, given RBAC in the workspace; none with a ManagedProvider unless named. */
  readonly kcpSubject?: SubjectModel;
  /** p2c creates the default ServiceAccount `<name>` in the workspace. */
  readonly createsKcpSubject: boolean;
  readonly managedProvider?: ManagedProviderModel;
  /** The cluster it runs in; '' when the user deploys it and did not say. */
  readonly cluster: string;
  readonly deploysInto: string;
  readonly exportName: string;
  readonly image: string;
  readonly namespace: string;
  readonly kcpKubeconfigSecret: string;
  readonly computeKubeconfigSecret: string;
  readonly workloadRules: readonly PolicyRuleModel[];
  /** Where the workload rules hold: namespaces of deploysInto, or 'all' (a ClusterRole). */
  readonly workloadNamespaces: readonly string[] | 'all';
  readonly leaderElection: boolean;
  readonly origin: Origin;
}

export interface MeshModel {
  readonly name: string;
  /** The kcp front-proxy, when declared; GitOps reaches workspaces through it. */
  readonly frontProxyUrl?: string;
  /** Where the Mesh was declared, for findings about the mesh as a whole. */
  readonly origin?: Origin;
  /** Whether p2c creates parent workspaces the mesh does not declare; otherwise they are external. */
  readonly createParents: boolean;
  /** Labels and annotations added to generated objects under a construct path (Mesh.addMetadata). */
  readonly metadataRules: readonly MetadataRuleModel[];
  /** The platform's owners: shared folders and mesh files. */
  readonly owners: readonly string[];
  readonly gitops: GitOpsModel;
  readonly teams: readonly TeamModel[];
  readonly workspaces: readonly WorkspaceModel[];
  readonly workspaceTypes: readonly WorkspaceTypeModel[];
  readonly clusters: readonly ClusterModel[];
  readonly exports: readonly ExportModel[];
  readonly bindings: readonly BindingModel[];
  readonly userObjects: readonly UserObjectModel[];
  readonly kubeBindBackends: readonly KubeBindBackendModel[];
  readonly kubeBindOffers: readonly KubeBindOfferModel[];
  readonly kubeBindBindings: readonly KubeBindBindingModel[];
  readonly kroGraphs: readonly KroGraphModel[];
  readonly operators: readonly OperatorModel[];
  /** Construct paths whose data-holding objects GitOps may delete once they leave the output (Mesh.retire). */
  readonly retired: readonly RetiredModel[];
  /** Kinds (`group/Kind`) kept by GitOps beyond p2c's own list. */
  readonly protectedKinds: readonly string[];
  readonly installedApis: readonly InstalledApiModel[];
}

export interface MetadataRuleModel {
  /** Construct path; '' for the whole mesh. */
  readonly path: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly kinds?: readonly string[];
  readonly origin: Origin;
}

/** Kinds someone else installs in a workspace or cluster (InstalledAPI). */
export interface InstalledApiModel {
  readonly target: Target;
  readonly crds: readonly KubeObject[];
  readonly group: string;
  readonly kinds: readonly string[];
  readonly versions: readonly string[];
  readonly origin: Origin;
}

export interface RetiredModel {
  readonly path: string;
  readonly reason: string;
  readonly origin: Origin;
}
