import { Construct } from 'constructs';
import { declare, propsValid, type Declaration } from './declared.js';
import { Mesh } from './mesh.js';
import { Workspace, type AccountSettings, type WorkspaceTypeReference } from './workspace.js';
import { ComputeCluster, type ComputeClusterProps } from './compute-cluster.js';
import { ProvidedAPI, type ProvidedAPIProps } from './provided-api.js';
import { Binding, type BindingProps } from './binding.js';
import { Operator, type OperatorProps } from './operator.js';
import { Organization } from './organization.js';

/** An RBAC subject acting for a team in kcp. */
export interface Subject {
  readonly kind: 'Group' | 'User' | 'ServiceAccount';
  readonly name: string;
  /** Only for ServiceAccount. */
  readonly namespace?: string;
}

export interface TeamProps {
  /** Workspace the team owns; `false` for a team without kcp. @default `<mesh teamWorkspaceParent>:<id>` */
  readonly workspace?: string | false;
  /**
   * The team's workspace exists already, made by someone else: a provider workspace Platform Mesh's Provider created
   * (`root:providers:<name>-<cluster>`), or one the platform made. p2c writes into it, never creates or prunes it. @default false
   */
  readonly externalWorkspace?: boolean;
  /** WorkspaceType of the team's workspace. @default unset (kcp's default child type) */
  readonly workspaceType?: WorkspaceTypeReference;
  /** The team is a Platform Mesh account: an Account in the parent, its workspace made by account-operator. @default an account in an Organization, else a plain Workspace */
  readonly account?: AccountSettings;
  /** Identities acting for the team in kcp (people, the GitOps deployer); they get `bind` on the exports the team consumes. @default [{ kind: 'Group', name: 'team:<id>' }] */
  readonly subjects?: readonly Subject[];
  /** Code-host users or groups (`@acme/db-team`) who must approve changes to this team's output and mesh files (`p2c owners`). @default the mesh's owners */
  readonly owners?: readonly string[];
}

/** A team: owns a kcp workspace and compute clusters, provides and binds APIs. */
export class Team extends Construct {
  readonly name: string;
  readonly workspace?: Workspace;
  readonly subjects: readonly Subject[];
  readonly owners: readonly string[];
  /** @internal */
  readonly declaration: Declaration;

  constructor(scope: Construct, id: string, given: TeamProps = {}) {
    super(scope, id);
    this.declaration = declare(this, { props: given });
    // Props that failed their check are not read (the synth stops before compose): defaults stand in.
    const props = propsValid(this.declaration) ? given : ({} as TeamProps);
    this.name = id;
    this.subjects = props.subjects ?? [{ kind: 'Group', name: `team:${id}` }];
    this.owners = props.owners ?? [];
    if (props.workspace !== false) {
      const org = Organization.isOrganization(scope) ? scope : undefined;
      const parent = org?.path ?? (scope instanceof Mesh ? scope.teamWorkspaceParent : 'root:team');
      const account = props.account ?? (org ? {} : undefined);
      if (account && props.workspaceType) {
        this.declaration.problem('invalidInput', `team '${id}' is an account, whose workspace type account-operator chooses (<org>-<account type> in root:orgs)`, 'drop workspaceType, or give the organization defaultAPIBindings');
      }
      this.workspace = new Workspace(this, 'workspace', {
        path: props.workspace ?? `${parent}:${id}`,
        ...(props.workspaceType && !account ? { type: props.workspaceType } : {}),
        ...(account ? { account } : {}),
        ...(props.externalWorkspace ? { external: true } : {}),
      });
    }
  }

  /** Declares a compute cluster owned by this team. */
  addCluster(id: string, props: ComputeClusterProps = {}): ComputeCluster {
    return new ComputeCluster(this, id, props);
  }

  /** Publishes a service API from one of this team's clusters into its workspace. */
  provide(id: string, props: ProvidedAPIProps): ProvidedAPI {
    return new ProvidedAPI(this, id, props);
  }

  /** Runs a multicluster-runtime operator serving the team's own API. */
  addOperator(id: string, props: OperatorProps): Operator {
    return new Operator(this, id, props);
  }

  /**
   * An account inside the team's account (an environment, a sub-team), to any depth: an Account in the team's workspace,
   * its own workspace made by account-operator. Objects added to the returned Workspace land in it.
   */
  addAccount(id: string, props: { readonly displayName?: string; readonly description?: string } = {}): Workspace {
    if (!this.workspace) this.declaration.problem('invalidInput', `team '${this.name}' has no workspace to hold account '${id}'`, 'give the team a workspace (drop workspace: false)');
    return new Workspace(this, `account-${id}`, { path: `${this.workspace?.path ?? 'root'}:${id}`, account: { type: 'account', ...props } });
  }

  /** Binds a provided API into this team's workspace. */
  bind(id: string, props: BindingProps): Binding {
    return new Binding(this, id, props);
  }
}
