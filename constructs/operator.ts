import type { ComputeCluster } from './compute-cluster.js';
import { ServedAPI, type ServedAPIProps } from './served-api.js';
import type { ProvidedAPI } from './provided-api.js';

/** A resource the operator reaches in consumer workspaces through its export's permission claims. */
export type OperatorClaim =
  | { readonly api: ProvidedAPI | Operator; readonly resource?: string; readonly verbs?: readonly string[] }
  | { readonly group: string; readonly resource: string; readonly identityHash?: string; readonly verbs?: readonly string[] };

export interface OperatorRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface OperatorProps extends ServedAPIProps {
  /** Cluster the operator runs in; owned by the same team. */
  readonly cluster: ComputeCluster;
  /** Operator image. */
  readonly image: string;
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
export class Operator extends ServedAPI<OperatorProps> {}
