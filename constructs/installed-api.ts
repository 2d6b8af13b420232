import type { Construct } from 'constructs';
import { DeclaredConstruct, propsValid } from './declared.js';
import { loadCrds, type CrdSource, type CustomResourceDefinition } from './crd-source.js';

export interface InstalledAPIProps {
  /** Its CRD(s), a YAML file (relative to the declaring file) or inline: objects of its kinds are then checked against them. @default none */
  readonly crd?: CrdSource;
  /** API group of `kinds`, when there is no CRD to give. @default none */
  readonly group?: string;
  /** Kinds of `group` it serves, e.g. ['Gateway', 'HTTPRoute']. @default none */
  readonly kinds?: readonly string[];
  /** Versions of `group` served. @default ['v1'] */
  readonly versions?: readonly string[];
}

/**
 * Kinds someone else installs in a compute cluster or a kcp workspace (a Gateway API chart, cert-manager, a
 * platform's own operators): p2c does not emit them, but objects and KRO graphs may use them there. With a CRD,
 * objects of those kinds are checked against it; with only names, just that the kind and version exist.
 */
export class InstalledAPI extends DeclaredConstruct<InstalledAPIProps> {
  readonly crds: readonly CustomResourceDefinition[];

  constructor(scope: Construct, id: string, props: InstalledAPIProps) {
    super(scope, id, props);
    if (!propsValid(this.declaration)) {
      this.crds = [];
      return;
    }
    this.crds = props.crd === undefined ? [] : loadCrds(props.crd, this.declaration);
    if (props.crd === undefined && (!props.group || !props.kinds?.length)) {
      this.declaration.problem('invalidInput', 'an InstalledAPI names its CRD, or a group and its kinds', "new InstalledAPI(cluster, 'gateway-api', { group: 'gateway.networking.k8s.io', kinds: ['Gateway', 'HTTPRoute'] })");
    }
  }
}
