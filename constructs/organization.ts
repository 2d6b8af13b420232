import { Construct } from 'constructs';
import { declare, propsValid, type Declaration } from './declared.js';
import { Workspace, type WorkspaceTypeReference } from './workspace.js';
import { WorkspaceType, type DefaultAPIBinding } from './workspace-type.js';
import { Team, type Subject, type TeamProps } from './team.js';

/** Where Platform Mesh keeps organizations, and their WorkspaceTypes (account-operator pkg/subroutines/util/util.go). */
export const orgsWorkspacePath = 'root:orgs';

/** The WorkspaceType account-operator gives accounts of a type in an organization, in root:orgs (util.go GetWorkspaceTypeName). */
export function accountType(org: string, type: string): { readonly name: string; readonly path: string } {
  return { name: `${org}-${type}`, path: orgsWorkspacePath };
}

export interface OrganizationProps {
  /** Shown in the portal. @default the organization name */
  readonly displayName?: string;
  /** @default none */
  readonly description?: string;
  /** The organization's Account exists already (the platform made it): p2c neither writes nor prunes it. @default false */
  readonly external?: boolean;
  /**
   * APIs every account of the organization gets bound at creation. p2c then writes the `<org>-account` WorkspaceType
   * exactly as account-operator lays it out (extends root:account, children and parents limited to the org's types)
   * plus these bindings; account-operator keeps patching only the fields it owns. @default none
   */
  readonly defaultAPIBindings?: readonly DefaultAPIBinding[];
  /** Who applies that WorkspaceType in root:orgs (see WorkspaceTypeProps.appliedBy). @default [{ kind: 'Group', name: 'platform' }] */
  readonly appliedBy?: readonly Subject[];
}

const brand = Symbol.for('p2c.Organization');

/**
 * A Platform Mesh organization: an Account of type `org` in root:orgs, from which account-operator makes the workspace
 * `root:orgs:<name>` and the WorkspaceTypes `<name>-org` and `<name>-account` in root:orgs. Teams added to it are
 * accounts in that workspace (`org.addTeam`); their own accounts nest below them to any depth.
 */
export class Organization extends Construct {
  static isOrganization(x: unknown): x is Organization {
    return typeof x === 'object' && x !== null && brand in x;
  }

  readonly name: string;
  /** The organization's workspace, `root:orgs:<name>`. */
  readonly path: string;
  /** Its Account, unless external. */
  readonly workspace?: Workspace;
  /** The WorkspaceType of its own workspace, `<name>-org` in root:orgs. */
  readonly orgType: WorkspaceTypeReference;
  /** The WorkspaceType account-operator gives every account in it, `<name>-account` in root:orgs. */
  readonly accountType: WorkspaceTypeReference;
  /** @internal */
  readonly declaration: Declaration;

  constructor(scope: Construct, id: string, given: OrganizationProps = {}) {
    super(scope, id);
    Object.defineProperty(this, brand, { value: true });
    this.declaration = declare(this, { props: given });
    const props = propsValid(this.declaration) ? given : ({} as OrganizationProps);
    this.name = id;
    this.path = `${orgsWorkspacePath}:${id}`;
    this.orgType = accountType(id, 'org');
    this.accountType = accountType(id, 'account');
    if (!props.external) {
      this.workspace = new Workspace(this, 'account', {
        path: this.path,
        account: { type: 'org', ...(props.displayName ? { displayName: props.displayName } : {}), ...(props.description ? { description: props.description } : {}) },
      });
    }
    if (props.defaultAPIBindings?.length) {
      // account-operator's generateAccountWorkspaceType (pkg/subroutines/workspacetype/workspace_type.go), field for field.
      new WorkspaceType(this, 'account-type', {
        path: orgsWorkspacePath,
        name: this.accountType.name,
        labels: { 'core.platform-mesh.io/org': id },
        extend: [{ name: 'account', path: 'root' }],
        defaultChildWorkspaceType: this.accountType,
        limitAllowedParents: [this.orgType, this.accountType],
        limitAllowedChildren: [this.accountType],
        defaultAPIBindings: props.defaultAPIBindings,
        ...(props.appliedBy ? { appliedBy: props.appliedBy } : {}),
      });
    }
  }

  /** A team that is an account of this organization, its workspace `root:orgs:<org>:<id>`. */
  addTeam(id: string, props: TeamProps = {}): Team {
    return new Team(this, id, props);
  }
}
