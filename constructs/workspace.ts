import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { declare, propsValid, type Declaration } from './declared.js';

export interface WorkspaceTypeReference {
  readonly name: string;
  /** Workspace path of the WorkspaceType. @default the parent's default child type resolution in kcp */
  readonly path?: string;
}

export interface WorkspaceProps {
  /** Full kcp workspace path, e.g. `root:team:database`. */
  readonly path: string;
  /** WorkspaceType of the Workspace object. @default unset: kcp uses the parent's default child type */
  readonly type?: WorkspaceTypeReference;
  /** A Platform Mesh account: p2c writes an Account and account-operator creates the workspace. @default a plain Workspace */
  readonly account?: AccountSettings;
  /**
   * The workspace exists already, made by someone else (the platform, Platform Mesh's Provider for a provider
   * workspace): p2c writes into it but neither creates nor prunes it; MESH.md lists it as a prerequisite. @default false
   */
  readonly external?: boolean;
}

/**
 * A workspace as Platform Mesh's account model has it: an `Account` (core.platform-mesh.io/v1alpha1, cluster-scoped)
 * in the parent workspace, from which account-operator creates the Workspace of the same name (platform-mesh
 * account-operator; research notes: shared/research/platform-mesh.md).
 */
export interface AccountSettings {
  /** `account` for a team or environment, `org` for an organization in root:orgs. @default 'account' */
  readonly type?: 'account' | 'org';
  /** Shown in the portal. @default the workspace name */
  readonly displayName?: string;
  /** @default none */
  readonly description?: string;
}

/**
 * A kcp workspace. It is a cdk8s Chart: any cdk8s or cdk8s-plus construct added to it
 * is written into the workspace's folder, `kcp/<path segments>/`.
 */
const brand = Symbol.for('p2c.Workspace');

export class Workspace extends Chart {
  /** cdk8s makes `instanceof` true for every Chart, so p2c's charts carry their own brand. */
  static isWorkspace(x: unknown): x is Workspace {
    return typeof x === 'object' && x !== null && brand in x;
  }

  readonly path: string;
  readonly type?: WorkspaceTypeReference;
  readonly account?: AccountSettings;
  readonly external: boolean;
  /** @internal */
  readonly declaration: Declaration;

  constructor(scope: Construct, id: string, given: WorkspaceProps) {
    super(scope, id, { disableResourceNameHashes: true });
    Object.defineProperty(this, brand, { value: true });
    this.declaration = declare(this, { props: given });
    // Props that failed their check are not read (the synth stops before compose): defaults stand in.
    const props = propsValid(this.declaration) ? given : ({} as WorkspaceProps);
    this.path = props.path;
    if (props.type) this.type = props.type;
    if (props.account) this.account = props.account;
    if (props.account && props.type) this.declaration.problem('invalidInput', `workspace '${props.path}' is an account, whose type account-operator chooses (<org>-<account type> in root:orgs)`, 'drop type');
    this.external = props.external ?? false;
  }
}
