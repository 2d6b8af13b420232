import type { Construct } from 'constructs';
import type { ComputeCluster } from './compute-cluster.js';
import { ServedAPI, type ServedAPIProps } from './served-api.js';
import { loadCrds, type CrdSource, type CustomResourceDefinition } from './crd-source.js';
import { propsValid } from './declared.js';
import type { KcpSubject, LabelSelector, ProvidedAPI } from './provided-api.js';

/** A resource the operator reaches in consumer workspaces through its export's permission claims. */
export type OperatorClaim =
  | { readonly api: ProvidedAPI | Operator; readonly resource?: string; readonly verbs?: readonly string[] }
  | { readonly group: string; readonly resource: string; readonly identityHash?: string; readonly verbs?: readonly string[] };

export interface OperatorRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** One Helm chart platform-mesh-operator deploys through Flux (ManagedProvider runtimeDeployments[].flux). */
export interface ManagedProviderChart {
  /** Chart name, e.g. `wildwest-controller`. */
  readonly chart: string;
  /** OCI registry and path (type oci) or Helm repository URL (type helm), e.g. `ghcr.io/platform-mesh/provider-quickstart/charts`. */
  readonly registry: string;
  readonly version: string;
  /** @default 'oci' */
  readonly type?: 'oci' | 'helm';
  /** Helm values, passed verbatim. @default none */
  readonly values?: Readonly<Record<string, unknown>>;
}

/**
 * Platform Mesh onboards the operator (providers.platform-mesh.io/v1alpha1 ManagedProvider, platform-mesh-operator
 * api/providers/v1alpha1/managedprovider_types.go): it creates a Provider and with it the provider workspace
 * `root:providers:<provider name>-<logical cluster of the Provider's workspace>` with an admin kubeconfig, copies
 * that kubeconfig into the runtime cluster and installs the charts with Flux.
 */
export interface ManagedProviderDeployment {
  /** Cluster that runs platform-mesh-operator, where the ManagedProvider object goes. */
  readonly cluster: ComputeCluster;
  readonly charts: readonly ManagedProviderChart[];
  /** @default the operator id */
  readonly name?: string;
  /** @default 'platform-mesh-system' */
  readonly namespace?: string;
  /** The PlatformMesh object it is onboarded onto. @default 'platform-mesh' */
  readonly platformMesh?: string;
  /** The Provider to create or adopt. @default upstream's: a Provider named like the ManagedProvider in root:providers:system */
  readonly provider?: { readonly path: string; readonly name: string };
  /** Remove the provider workspace when the ManagedProvider is deleted. @default false: p2c never asks to destroy */
  readonly cleanupOnDelete?: boolean;
  /** Secret (key `kubeconfig`) of the cluster to install the charts into. @default unset: the cluster holding the ManagedProvider */
  readonly runtimeKubeconfigSecret?: string;
  /** kcp front-proxy URL written into the provider kubeconfig. @default unset: the operator's configured one */
  readonly providerHostOverride?: string;
}

/**
 * A kind the export serves read-only from kcp's cache (APIExport `storage.virtual`, kcp v0.32): its objects live in
 * the team's workspace under this CRD, a CachedResource replicates them, and consumers read them through the
 * CachedResourceEndpointSlice (kcp config/examples/virtualresources; provider-quickstart's Armaments).
 */
export interface CachedAPI {
  /** The kind's CRD, installed in the team's workspace. */
  readonly crd: CrdSource;
  /**
   * The CachedResource's `status.identityHash`: kcp derives it from the identity key, and the export refers to the cache
   * by it. With `identitySecret` the key is yours and the hash stable; otherwise read it once kcp made it.
   */
  readonly identityHash: string;
  /** Secret (in the team workspace) whose `key` is the cache identity; created by you, never written to Git. @default kcp generates one */
  readonly identitySecret?: { readonly name: string; readonly namespace: string };
  /** Only objects with these labels are cached. @default all */
  readonly labelSelector?: LabelSelector;
  /** Name of the CachedResource and its endpoint slice. @default the CRD's plural */
  readonly name?: string;
}

export interface OperatorProps extends Omit<ServedAPIProps, 'crd'> {
  /** Kinds served read-only from kcp's cache besides the operator's own API. @default none */
  readonly cached?: readonly CachedAPI[];
  /**
   * The operator's own API: its CRD(s), served from the team's workspace. Without one the export has only permission
   * claims (multicluster-provider's examples/apiexport bundle: a controller of configmaps in every workspace). @default none
   */
  readonly crd?: CrdSource;
  /** Cluster the operator runs in; owned by the same team. Required when p2c deploys it. @default none */
  readonly cluster?: ComputeCluster;
  /** Operator image. Required when p2c deploys it. @default none */
  readonly image?: string;
  /**
   * Who deploys the operator. `'p2c'`: p2c writes its Deployment, namespace and kubeconfig mounts. `'user'`: you do
   * (your chart, your args); p2c writes only the workspace side: the export, its schemas and the RBAC for `kcpSubject`.
   * `{ managedProvider }`: Platform Mesh's ManagedProvider installs your charts (provider-quickstart's shape). @default 'p2c'
   */
  readonly deployedBy?: 'p2c' | 'user' | { readonly managedProvider: ManagedProviderDeployment };
  /**
   * The identity the operator's kcp kubeconfig carries, given its RBAC in the team workspace.
   * @default ServiceAccount `<id>` in namespace `default` of the team workspace, which p2c creates; with a
   * ManagedProvider, none: the Provider's kubeconfig is an admin of the provider workspace
   */
  readonly kcpSubject?: KcpSubject;
  /** Resources in consumer workspaces it creates or reads, e.g. the Postgres and Elastic instances. @default none */
  readonly claims?: readonly OperatorClaim[];
  /** Cluster it deploys workloads into. @default its own cluster */
  readonly deploysInto?: ComputeCluster;
  /** What it may do there. @default deployments, services, configmaps in apps/core (read-write) */
  readonly workloadRules?: readonly OperatorRule[];
  /**
   * Namespaces of that cluster the workload rules hold in (each must exist), or 'all' for a ClusterRole.
   * @default the operator's namespace only
   */
  readonly workloadNamespaces?: readonly string[] | 'all';
  /** @default '<id>-system' */
  readonly namespace?: string;
  /** Secret with the kcp kubeconfig for the team workspace. @default '<id>-kcp-kubeconfig' */
  readonly kcpKubeconfigSecret?: string;
  /** Secret with the kubeconfig of the cluster it deploys into. @default '<id>-compute-kubeconfig' */
  readonly computeKubeconfigSecret?: string;
  /**
   * Run two replicas that elect a leader (`--leader-elect`). The manager elects with its kcp config, so the
   * lease lives in the team workspace, in a namespace named like the operator's. @default false: one replica
   */
  readonly leaderElection?: boolean;
}

/** A multicluster-runtime operator serving the team's own API from its workspace. */
export class Operator extends ServedAPI<OperatorProps> {
  /** The CRD of each `cached` entry, in order. */
  readonly cachedCrds: readonly (CustomResourceDefinition | undefined)[];

  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id, props);
    this.cachedCrds = propsValid(this.declaration) ? (props.cached ?? []).map((c) => {
      const crds = loadCrds(c.crd, this.declaration);
      if (crds.length > 1) this.declaration.problem('invalidInput', `a cached kind of operator '${id}' names ${crds.length} CRDs; each cached entry is one kind`, 'give one cached entry per CRD');
      return crds[0];
    }) : [];
    const by = props.deployedBy ?? 'p2c';
    if (by === 'p2c' && (!props.cluster || !props.image)) {
      this.declaration.problem('invalidInput', `operator '${id}' is deployed by p2c, which needs its cluster and image`, "give cluster and image, or deployedBy: 'user' when you deploy it yourself");
    }
    // What only p2c's own Deployment reads would be silently ignored otherwise.
    const deploymentOnly = ['image', 'deploysInto', 'workloadRules', 'workloadNamespaces', 'namespace', 'kcpKubeconfigSecret', 'computeKubeconfigSecret', 'leaderElection'] as const;
    const ignored = by === 'p2c' ? [] : deploymentOnly.filter((k) => props[k] !== undefined);
    if (ignored.length) {
      this.declaration.problem('invalidInput', `operator '${id}' is not deployed by p2c, so ${ignored.join(', ')} would have no effect`, `drop ${ignored.join(', ')}, or let p2c deploy it (deployedBy: 'p2c')`);
    }
  }
}
