import { DeclaredConstruct, propsValid } from './declared.js';
import { loadCrds, type CrdSource, type CustomResourceDefinition } from './crd-source.js';
import type { ComputeCluster } from './compute-cluster.js';
import type { Binding } from './binding.js';
import type { Workspace } from './workspace.js';
import type { ResourceGraph } from './resource-graph.js';

/** OIDC for the backend's browser login; the client secret is referenced, never written. */
export interface KubeBindOidc {
  readonly issuerUrl: string;
  readonly clientId: string;
  /** Secret (in the backend namespace) holding the OIDC client secret. */
  readonly clientSecret: { readonly name: string; readonly key: string };
  readonly callbackUrl: string;
}

export interface KubeBindBackendProps {
  /**
   * Where offered APIs come from: CRDs of the backend's own cluster, or APIs bound in a kcp
   * workspace (kcp mode: the backend serves the workspace through the kube-bind.io APIExport's
   * endpoint slice). @default CRDs of the cluster
   */
  readonly kcpWorkspace?: Workspace;
  /**
   * kcp mode: workspace of the platform's kube-bind.io APIExport and its endpoint slice, which the backend's kubeconfig
   * must point at (it reads the slice there). @default 'root:kube-bind', where kube-bind's contrib/kcp bootstrap puts it
   */
  readonly platformWorkspace?: string;
  /** kcp mode: name of the kube-bind.io APIExportEndpointSlice. @default 'kube-bind.io' */
  readonly endpointSlice?: string;
  /** kcp mode: Secret (key `kubeconfig`) pointing the backend at kcp. @default 'kube-bind-kcp-kubeconfig' */
  readonly kcpKubeconfigSecret?: string;
  /** Namespace of the backend. @default 'kube-bind' */
  readonly namespace?: string;
  /** What kube-bind v0.8.1 publishes (.github/workflows/image.yaml). @default 'ghcr.io/kube-bind/backend:v0.8.1' */
  readonly image?: string;
  /** Name consumers see. @default the team name */
  readonly prettyName?: string;
  /** Informer scope offered to konnectors. @default 'Cluster' in kcp mode, else 'Namespaced' */
  readonly consumerScope?: 'Namespaced' | 'Cluster';
  /** Address konnectors reach the provider API at, written into issued kubeconfigs. @default unset */
  readonly externalAddress?: string;
  /** Browser login for people. @default none: the declarative GitOps flow (`--frontend-disabled`) */
  readonly oidc?: KubeBindOidc;
}

/** An object that travels with each bound instance, e.g. its connection Secret. */
export interface KubeBindClaim {
  /** @default 'secrets' */
  readonly resource?: string;
  /** @default '' (core) */
  readonly group?: string;
  /** Field of the bound object naming the claimed object, e.g. `spec.connectionSecretName`. */
  readonly reference: string;
}

export interface KubeBindOfferProps {
  /**
   * The API offered: a CRD of the backend's cluster, a KRO graph's kind in that cluster (its CRD is the one kro
   * derives; the offer waits for it), or (kcp mode) a Binding of the backend's workspace.
   */
  readonly api: CrdSource | Binding | ResourceGraph;
  /** Claimed objects synced with instances. @default none */
  readonly claims?: readonly KubeBindClaim[];
  /** Informer scope of the template. @default the backend's consumerScope */
  readonly scope?: 'Namespaced' | 'Cluster';
  /** Write the CRD into the provider cluster's folder (cluster mode). @default true */
  readonly installCrd?: boolean;
  /** APIServiceExportTemplate name. @default `<plural>.<group>` of the first resource */
  readonly name?: string;
}

/** A kube-bind backend on a provider cluster (or serving a kcp workspace). */
export class KubeBindBackend extends DeclaredConstruct<KubeBindBackendProps> {
  constructor(readonly cluster: ComputeCluster, id: string, props: KubeBindBackendProps = {}) {
    super(cluster, id, props);
  }

  /** Offers an API to consumer clusters (an APIServiceExportTemplate). */
  offer(id: string, props: KubeBindOfferProps): KubeBindOffer {
    return new KubeBindOffer(this, id, props);
  }
}

export class KubeBindOffer extends DeclaredConstruct<KubeBindOfferProps> {
  readonly crds: readonly CustomResourceDefinition[];

  constructor(readonly backend: KubeBindBackend, id: string, props: KubeBindOfferProps) {
    super(backend, id, props);
    const api = props.api;
    this.crds = !propsValid(this.declaration) ? [] : typeof api === 'string' || (typeof api === 'object' && 'kind' in api && (api as { kind?: unknown }).kind === 'CustomResourceDefinition')
      ? loadCrds(api as CrdSource, this.declaration)
      : [];
  }
}

export interface KubeBindBindingProps {
  /** The offer to bind. */
  readonly offer: KubeBindOffer;
  /** Secret in namespace `kube-bind` (key `kubeconfig`) with the provider kubeconfig the backend issued. @default 'kubeconfig-<offer backend cluster>' */
  readonly kubeconfigSecret?: string;
  /** Bind everything that kubeconfig offers (APIServiceBindingBundle) instead of this one API. @default false */
  readonly bundle?: boolean;
  /** What kube-bind v0.8.1 publishes. @default 'ghcr.io/kube-bind/konnector:v0.8.1' */
  readonly konnectorImage?: string;
  /** Object name. @default the offer's template name */
  readonly name?: string;
}

/** A consumer cluster binding a kube-bind offer: konnector, its RBAC, and the binding object. */
export class KubeBindBinding extends DeclaredConstruct<KubeBindBindingProps> {
  constructor(readonly cluster: ComputeCluster, id: string, props: KubeBindBindingProps) {
    super(cluster, id, props);
  }
}
