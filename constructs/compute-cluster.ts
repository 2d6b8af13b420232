import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { declare, propsValid, type Declaration } from './declared.js';
import { KubeBindBackend, KubeBindBinding, type KubeBindBackendProps, type KubeBindBindingProps } from './kube-bind.js';
import { ResourceGraph, type ResourceGraphProps } from './resource-graph.js';

export interface ComputeClusterProps {
  /** Cluster name; its folder is `clusters/<name>/`. @default the construct id */
  readonly name?: string;
  /** Argo CD destination server of this cluster (as registered in Argo CD). Required with Argo CD unless `inCluster`. @default none */
  readonly server?: string;
  /** Flux: Secret (key `kubeconfig`, in the Flux namespace) with this cluster's kubeconfig. Required with Flux unless `inCluster`. @default none */
  readonly kubeconfigSecret?: string;
  /**
   * This is the cluster the GitOps engine itself runs in: Argo CD's `https://kubernetes.default.svc`, Flux with
   * no kubeconfig. At most one cluster can be. @default false
   */
  readonly inCluster?: boolean;
}

/**
 * A Kubernetes cluster where services really run. It is a cdk8s Chart: any cdk8s or
 * cdk8s-plus construct added to it lands in `clusters/<name>/`.
 */
const brand = Symbol.for('p2c.ComputeCluster');

export class ComputeCluster extends Chart {
  /** cdk8s makes `instanceof` true for every Chart, so p2c's charts carry their own brand. */
  static isComputeCluster(x: unknown): x is ComputeCluster {
    return typeof x === 'object' && x !== null && brand in x;
  }

  readonly name: string;
  readonly server?: string;
  readonly kubeconfigSecret: string | undefined;
  readonly inCluster: boolean;
  /** @internal */
  readonly declaration: Declaration;

  constructor(scope: Construct, id: string, given: ComputeClusterProps = {}) {
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, brand, { value: true });
    this.declaration = declare(this, { props: given });
    // Props that failed their check are not read (the synth stops before compose): defaults stand in.
    const props = propsValid(this.declaration) ? given : ({} as ComputeClusterProps);
    this.name = props.name ?? id;
    if (props.server !== undefined) this.server = props.server;
    this.inCluster = props.inCluster ?? false;
    this.kubeconfigSecret = props.kubeconfigSecret;
  }

  /** Runs a kube-bind backend here, offering APIs to other clusters. */
  addKubeBindBackend(id: string, props: KubeBindBackendProps = {}): KubeBindBackend {
    return new KubeBindBackend(this, id, props);
  }

  /** Binds an API another cluster offers through kube-bind. */
  bindWithKubeBind(id: string, props: KubeBindBindingProps): KubeBindBinding {
    return new KubeBindBinding(this, id, props);
  }

  /** Places a KRO ResourceGraphDefinition here. */
  addResourceGraph(id: string, props: ResourceGraphProps): ResourceGraph {
    return new ResourceGraph(this, id, props);
  }
}
