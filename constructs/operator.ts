import { Construct } from 'constructs';
import { declare, type Declaration } from './declared.js';
import { loadCrds, type CrdSource, type CustomResourceDefinition } from './crd-source.js';
import type { ComputeCluster } from './compute-cluster.js';
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

export interface OperatorProps {
  /** Cluster the operator runs in; owned by the same team. */
  readonly cluster: ComputeCluster;
  /** The team's own API the operator serves (its APIExport). */
  readonly crd: CrdSource;
  /** @default the CRD's group */
  readonly exportName?: string;
  readonly image: string;
  /** Resources in consumer workspaces it creates or reads, e.g. the Postgres and Elastic instances. @default none */
  readonly claims?: readonly OperatorClaim[];
  /** Cluster it deploys workloads into. @default its own cluster */
  readonly deploysInto?: ComputeCluster;
  /** What it may do there. @default deployments, services, configmaps in apps/core (read-write) */
  readonly workloadRules?: readonly OperatorRule[];
  /** @default '<id>-system' */
  readonly namespace?: string;
  /** Secret with the kcp kubeconfig for the team workspace. @default '<id>-kcp-kubeconfig' */
  readonly kcpKubeconfigSecret?: string;
  /** Secret with the kubeconfig of the cluster it deploys into. @default '<id>-compute-kubeconfig' */
  readonly computeKubeconfigSecret?: string;
  /** The export's `status.identityHash`, for anyone claiming its resources. @default unknown */
  readonly identityHash?: string;
}

/** A multicluster-runtime operator serving the team's own API from its workspace. */
export class Operator extends Construct {
  readonly props: OperatorProps;
  readonly crds: readonly CustomResourceDefinition[];
  /** @internal */
  readonly declaration: Declaration;

  constructor(scope: Construct, id: string, props: OperatorProps) {
    super(scope, id);
    this.declaration = declare(this);
    this.props = props;
    this.crds = loadCrds(props.crd, this.declaration);
  }

  get exportName(): string {
    return this.props.exportName ?? this.crds[0]?.spec.group ?? this.node.id;
  }
}
