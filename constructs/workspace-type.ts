import type { Construct } from 'constructs';
import { DeclaredConstruct } from './declared.js';
import type { ExportReference } from './binding.js';
import type { ExternalExport } from './external-export.js';
import type { Operator } from './operator.js';
import type { ProvidedAPI } from './provided-api.js';
import type { Subject } from './team.js';
import type { WorkspaceTypeReference } from './workspace.js';

/**
 * An API every workspace of the type gets bound when kcp initializes it. kcp's initializer accepts every permission
 * claim the export makes, with the export's default selector or all objects (kcp v0.32.0
 * pkg/reconciler/tenancy/initialization/apibinder_initializer_reconcile.go): nobody in the workspace is asked, so the
 * type says here which claims it accepts for all of them.
 */
export interface DefaultAPIBinding {
  /** A ProvidedAPI or Operator of this mesh, an ExternalExport, or a reference to an export. */
  readonly api: ProvidedAPI | Operator | ExternalExport | ExportReference;
  /** Every claim the export makes, as `resource` or `resource.group`: kcp accepts them all, so each must be listed. */
  readonly acceptClaims: readonly string[];
}

export interface WorkspaceTypeProps {
  /** Workspace holding the WorkspaceType, e.g. `root` or `root:orgs`. */
  readonly path: string;
  /** Object name. @default the construct id */
  readonly name?: string;
  /** APIs bound into every new workspace of this type (and of types extending it). @default none */
  readonly defaultAPIBindings?: readonly DefaultAPIBinding[];
  /** Keep default bindings after initialization (`Maintain`) or only create them (`InitializeOnly`). @default unset: kcp's InitializeOnly */
  readonly defaultAPIBindingLifecycle?: 'InitializeOnly' | 'Maintain';
  /** Types whose default bindings and initializers this one takes on. @default none */
  readonly extend?: readonly WorkspaceTypeReference[];
  /** Type of children created without one. @default unset: kcp's root:universal */
  readonly defaultChildWorkspaceType?: WorkspaceTypeReference;
  /** The only types children may have. @default any */
  readonly limitAllowedChildren?: readonly WorkspaceTypeReference[];
  /** The only types parents may have. @default any */
  readonly limitAllowedParents?: readonly WorkspaceTypeReference[];
  /** Labels on the object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Who applies the WorkspaceType (the GitOps deployer's identity in kcp). kcp admits a WorkspaceType only from someone
   * allowed to `bind` each default export (kcp v0.32.0 pkg/admission/workspacetype/admission.go), so p2c grants these
   * subjects `bind` on the mesh's own exports; for external ones a prerequisite says so. @default [{ kind: 'Group', name: 'platform' }]
   */
  readonly appliedBy?: readonly Subject[];
}

/**
 * A kcp WorkspaceType (tenancy.kcp.io/v1alpha1) in a workspace: the way a platform gives every new workspace of a
 * type its APIs. Workspaces and accounts of this type (or of a type extending it) have the default bindings' kinds.
 */
export class WorkspaceType extends DeclaredConstruct<WorkspaceTypeProps> {
  constructor(scope: Construct, id: string, props: WorkspaceTypeProps) {
    super(scope, id, props);
  }

  /** The reference a Workspace or another WorkspaceType uses. */
  get reference(): WorkspaceTypeReference {
    return { name: this.props.name ?? this.node.id, path: this.props.path };
  }
}
