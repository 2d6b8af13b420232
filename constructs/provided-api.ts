import type { ComputeCluster } from './compute-cluster.js';
import { ServedAPI, type ServedAPIProps } from './served-api.js';

/** An object that travels with each service instance, such as its connection Secret. */
export interface RelatedResource {
  /** Unique name of this relation within the API, e.g. `credentials`. */
  readonly identifier: string;
  /** Source of truth: `service` (the provider writes it, e.g. a connection Secret) or `kcp` (the consumer writes it). */
  readonly origin: 'service' | 'kcp';
  /** Plural resource name. @default 'secrets' */
  readonly resource?: string;
  /** API group. @default '' (core) */
  readonly group?: string;
  /** API version. @default 'v1' */
  readonly version?: string;
  /** Field of the service object that names the related object, e.g. `spec.secretName`. Exactly one of reference/template. */
  readonly reference?: string;
  /** Go template producing the related object's name, e.g. `{{ .Object.metadata.name }}-conn`. */
  readonly template?: string;
  /** identityHash of the APIExport serving this resource; required unless it is a built-in Kubernetes or kcp resource. @default none */
  readonly identityHash?: string;
  /**
   * The kind of the API's CRDs this relation belongs to, when the API serves several: only that kind's
   * PublishedResource carries it, and its reference is checked against that CRD alone. @default every CRD of the API
   */
  readonly kind?: string;
}

/** A label selector, as Kubernetes spells it. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }[];
}

/** One rewrite api-syncagent applies to a synced object's spec or status; exactly one of its fields. */
export interface SyncMutation {
  readonly delete?: { readonly path: string };
  readonly regex?: { readonly path: string; readonly pattern?: string; readonly replacement?: string };
  readonly template?: { readonly path: string; readonly template: string };
  readonly cel?: { readonly path: string; readonly expression: string };
}

/**
 * How api-syncagent publishes one of the API's CRDs: the PublishedResource's own options (kcp-dev/api-syncagent
 * v0.7.0, sdk/apis/syncagent/v1alpha1 PublishedResourceSpec).
 */
export interface PublishOptions {
  /** The CRD kind (as in the service cluster) these options are for. @default the API's only CRD */
  readonly kind?: string;
  /** PublishedResource name. @default `<plural>.<group>` of the CRD */
  readonly name?: string;
  /**
   * Other names in kcp than in the service cluster: the agent renames the CRD before it publishes the schema
   * (internal/projection/projection.go): a new kind also sets the plural to `<lower-case kind>s`, versions are renamed
   * by the map. Consumers see, bind and claim the projected names. @default the CRD's own
   */
  readonly projection?: {
    readonly group?: string;
    readonly kind?: string;
    readonly plural?: string;
    readonly scope?: 'Namespaced' | 'Cluster';
    /** Service-cluster version → version in kcp. */
    readonly versions?: Readonly<Record<string, string>>;
    readonly shortNames?: readonly string[];
    readonly categories?: readonly string[];
  };
  /** Only objects whose labels (or namespace's labels) match are synced. @default all */
  readonly filter?: { readonly namespace?: LabelSelector; readonly resource?: LabelSelector };
  /** Rewrites of spec (kcp → service) and status (service → kcp) on the way. @default none */
  readonly mutation?: { readonly spec?: readonly SyncMutation[]; readonly status?: readonly SyncMutation[] };
}

export interface ProvidedAPIProps extends ServedAPIProps {
  /** Compute cluster that runs the service and holds its CRD; owned by the same team. */
  readonly cluster: ComputeCluster;
  /** Related objects synced with each instance (api-syncagent `related`). @default none */
  readonly related?: readonly RelatedResource[];
  /** Write the CRD into the provider cluster's folder. @default true */
  readonly installCrd?: boolean;
  /** Let api-syncagent label objects with workspace paths (adds the logicalclusters claim). @default false */
  readonly enableWorkspacePaths?: boolean;
  /**
   * How api-syncagent names the copies in the service cluster (PublishedResource `naming`, Go templates over
   * `.Object`, `.ClusterName`, `.ClusterPath`). Without it the agent names each copy
   * `{{ .Object.metadata.namespace | sha3short }}-{{ .Object.metadata.name | sha3short }}` in namespace
   * `{{ .ClusterName }}` (kcp-dev/api-syncagent v0.7.0, the PublishedResource CRD's spec.naming), so a
   * reference by name from another object stops matching. Keep `.ClusterName` in one of them: the same name exists in
   * many workspaces. @default the agent's hashed names
   */
  readonly naming?: { readonly namespace?: string; readonly name?: string };
  /** Per-CRD PublishedResource options: name, projection, filter, mutation. @default none */
  readonly publish?: readonly PublishOptions[];
  /** Name of the Secret (key `kubeconfig`) in the agent namespace pointing at the team workspace. @default 'kcp-kubeconfig' */
  readonly kcpKubeconfigSecret?: string;
  /** Namespace of the api-syncagent in the cluster. @default 'kcp-api-syncagent' */
  readonly agentNamespace?: string;
  /** api-syncagent image. @default 'ghcr.io/kcp-dev/api-syncagent:v0.7.0' */
  readonly agentImage?: string;
  /**
   * The identity the agent's kcp kubeconfig carries; p2c grants it the agent's RBAC in the team workspace.
   * @default ServiceAccount '<team>-<id>' in namespace 'default' of the team workspace, which p2c creates
   */
  readonly kcpSubject?: KcpSubject;
}

/** A user, group or ServiceAccount as kcp's RBAC names it. */
export interface KcpSubject {
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  readonly name: string;
  /** ServiceAccounts only. @default 'default' */
  readonly namespace?: string;
}

/**
 * A service API a team provides: the CRD in the team's compute cluster is published by
 * api-syncagent into an APIExport in the team's workspace.
 */
export class ProvidedAPI extends ServedAPI<ProvidedAPIProps> {}
