import { DeclaredConstruct } from './declared.js';

/** A permission claim an external export makes: every consumer accepts or rejects it. */
export interface ExternalClaim {
  /** API group; '' for the core group. */
  readonly group: string;
  /** Resource, plural (`secrets`, `workspaces`). */
  readonly resource: string;
  /** The identityHash of the export serving the resource, for resources kcp does not serve itself. @default none */
  readonly identityHash?: string;
}

/** A kind the external export serves: bound workspaces then have it, and objects of it are written there. */
export interface ExternalResource {
  readonly group: string;
  readonly kind: string;
  /** @default the lower-case kind + 's' */
  readonly plural?: string;
  /** @default ['v1alpha1'] */
  readonly versions?: readonly string[];
  /** @default 'Cluster' */
  readonly scope?: 'Namespaced' | 'Cluster';
}

export interface ExternalExportProps {
  /** Workspace the APIExport lives in, e.g. 'root' for a platform's kube-bind.io. */
  readonly path: string;
  /** APIExport name. */
  readonly name: string;
  /** Its status.identityHash, when consumers' claims on its resources need it. @default unknown */
  readonly identityHash?: string;
  /** The claims it makes, as its APIExport lists them. @default none */
  readonly claims?: readonly ExternalClaim[];
  /**
   * The kinds it serves, so a workspace binding it may hold objects of them (Platform Mesh's ProviderMetadata from
   * ui.platform-mesh.io). Their schemas are the export's: p2c checks kind and version, not fields. @default none
   */
  readonly resources?: readonly ExternalResource[];
}

/**
 * An APIExport that exists but is not this mesh's (the platform's kube-bind.io, Platform Mesh's core.platform-mesh.io):
 * teams bind it like a ProvidedAPI and their claims are checked against what it declares, but p2c never writes or
 * prunes it, nor the `bind` permission on it (a prerequisite says who needs it).
 */
export class ExternalExport extends DeclaredConstruct<ExternalExportProps> {}
