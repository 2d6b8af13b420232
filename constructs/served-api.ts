import type { Construct } from 'constructs';
import { DeclaredConstruct, propsValid } from './declared.js';
import { loadCrds, type CrdSource, type CustomResourceDefinition } from './crd-source.js';

/** How an API appears in Platform Mesh's portal and marketplace (ui.platform-mesh.io/v1alpha1). */
export interface MarketplaceListing {
  /** ProviderMetadata spec (displayName, description, contacts, icon, …), an object named like the export. @default none */
  readonly providerMetadata?: Readonly<Record<string, unknown>>;
  /** Portal UI fragments (ContentConfiguration specs), each labelled as content for the export and, given, for an entity. @default none */
  readonly contentConfigurations?: readonly { readonly name: string; readonly entity?: string; readonly spec: Readonly<Record<string, unknown>> }[];
  /**
   * Who may bind the export beyond the mesh's own consumers: `'authenticated'` (Group system:authenticated) or
   * `'anonymous'` (User system:anonymous, as provider-quickstart grants). An explicit opt-in, shown in review. @default the mesh's consumers only
   */
  readonly openTo?: 'authenticated' | 'anonymous';
}

/** What every API a team serves from its workspace has, however it is served. */
export interface ServedAPIProps {
  /** The API's CRD(s): a YAML file (relative to the declaring file) or an inline CRD. */
  readonly crd: CrdSource;
  /** APIExport name in the team's workspace. @default the CRD's API group */
  readonly exportName?: string;
  /** The APIExport's `status.identityHash` once kcp assigned it; needed by anyone who claims its resources. @default unknown */
  readonly identityHash?: string;
  /**
   * Lets a consumer team whose subjects are everyone (`system:authenticated`, `system:unauthenticated`,
   * `system:serviceaccounts`, `system:anonymous`) bind it: a public export, shown as such. @default false (P2C027)
   */
  readonly public?: boolean;
  /**
   * Says that this change of the API's CRD breaks its consumers on purpose, and why: `p2c diff` and synth then report
   * the breaking change (field removed, new required field, …) without failing. Remove it once merged. @default none
   */
  readonly breakingChange?: string;
  /** Platform Mesh marketplace listing: provider metadata, portal content, and who may bind. @default not listed */
  readonly marketplace?: MarketplaceListing;
}

/** ServedAPIProps with the CRD optional: an operator may serve no kind of its own, only work on what it claims. */
export type ServedAPIShape = Omit<ServedAPIProps, 'crd'> & { readonly crd?: CrdSource };

/** An APIExport of a team's workspace: published by api-syncagent (ProvidedAPI) or served by an Operator. */
export abstract class ServedAPI<P extends ServedAPIShape = ServedAPIProps> extends DeclaredConstruct<P> {
  readonly crds: readonly CustomResourceDefinition[];

  constructor(scope: Construct, id: string, props: P) {
    super(scope, id, props);
    this.crds = propsValid(this.declaration) && props.crd !== undefined ? loadCrds(props.crd, this.declaration) : [];
  }

  /** The APIExport name. */
  get exportName(): string {
    return this.props.exportName ?? this.crds[0]?.spec.group ?? this.node.id;
  }
}
