import { App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { captureCallSite } from './call-site.js';
import { declare, propsValid, type Declaration } from './declared.js';
import { ExternalExport, type ExternalExportProps } from './external-export.js';
import { WorkspaceType, type WorkspaceTypeProps } from './workspace-type.js';
import { Organization, type OrganizationProps } from './organization.js';

/** GitOps engines p2c can emit apps for. */
export type GitOpsEngine = 'argocd' | 'flux';

export interface KcpSettings {
  /** URL of the kcp front-proxy; GitOps destinations are `<url>/clusters/<workspace path>`. @default none (required with GitOps when the mesh has workspaces) */
  readonly frontProxyUrl?: string;
  /** Parent workspace of teams' workspaces. @default 'root:team' */
  readonly teamWorkspaceParent?: string;
  /**
   * Create the parent workspaces the mesh does not declare (`root:team`, `root:orgs`) as plain Workspaces. Off, they
   * are external: they exist already (the platform or Platform Mesh's account-operator made them), and p2c neither
   * writes nor prunes them; MESH.md lists them as prerequisites. @default false
   */
  readonly createParents?: boolean;
}

export interface GitOpsSettings {
  /** Engines to emit apps for (`p2c synth --gitops` overrides). @default ['argocd'] */
  readonly engines?: readonly GitOpsEngine[];
  /** Git repository holding the output. @default the `origin` remote of the Git work tree the output is written into */
  readonly repoURL?: string;
  /** Branch (Flux) or revision (Argo CD) to apply. @default 'main' */
  readonly revision?: string;
  /** Folder of the output inside the repository, whatever `--out` says. @default `output` in cdk8s.yaml, else 'dist' */
  readonly path?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
  /**
   * One existing Argo CD project for every app, giving up isolation between teams. @default a project per team (its
   * workspaces and clusters as the only destinations) and one for the platform's own folders
   */
  readonly argocdProject?: string;
  /** @default 'flux-system' */
  readonly fluxNamespace?: string;
}

export interface MeshProps {
  /** How the output is delivered. @default see GitOpsSettings */
  readonly gitops?: GitOpsSettings;
  /** kcp settings shared by all teams. @default see KcpSettings */
  readonly kcp?: KcpSettings;
  /** Label stamped on every object p2c emits, naming the mesh. @default 'p2c' */
  readonly name?: string;
  /**
   * Kinds GitOps must never delete, beyond the ones p2c always keeps (Workspace, APIBinding, APIExport,
   * CustomResourceDefinition, Namespace, kube-bind bindings): for example your database kind. @default none
   */
  readonly protectedKinds?: readonly ProtectedKind[];
  /** Code-host users or groups who own the platform: shared folders, mesh files of several teams (`p2c owners`). @default none */
  readonly owners?: readonly string[];
}

/** A kind, by API group ('' for core) and kind. */
export interface ProtectedKind {
  readonly apiGroup: string;
  readonly kind: string;
}

/** Labels and annotations for the objects p2c generates under a construct (Mesh.addMetadata). */
export interface ExtraMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** Only objects of these kinds (`APIExport`, `Deployment`). @default every kind */
  readonly kinds?: readonly string[];
}

/** @internal */
export interface MetadataRule extends ExtraMetadata {
  readonly scope: IConstruct;
  readonly location: () => string | undefined;
}

/** A construct whose objects GitOps may delete once they leave the mesh; see Mesh.retire. */
export interface Retirement {
  readonly scope: IConstruct;
  readonly reason: string;
  readonly location: () => string | undefined;
}

const registry = Symbol.for('p2c.meshes');
type Registry = { [registry]?: Mesh[] };

/**
 * The root of a p2c program: one platform mesh. Declaring a Mesh registers it so that
 * `p2c synth` can find it after running the program; nothing is written until then.
 */
export class Mesh extends App {
  /** Every Mesh declared in this process, in declaration order. */
  static declared(): readonly Mesh[] {
    return (globalThis as Registry)[registry] ?? [];
  }
  /** Forget declared meshes (tests and long-running hosts). */
  static reset(): void {
    (globalThis as Registry)[registry] = [];
  }

  readonly meshName: string;
  readonly frontProxyUrl: string | undefined;
  readonly teamWorkspaceParent: string;
  readonly createParents: boolean;
  readonly gitops: GitOpsSettings;
  readonly protectedKinds: readonly ProtectedKind[];
  readonly owners: readonly string[];
  /** @internal */
  readonly declaration: Declaration;
  /** @internal */
  readonly retirements: Retirement[] = [];
  /** @internal */
  readonly metadataRules: MetadataRule[] = [];

  constructor(given: MeshProps = {}) {
    super({ outdir: 'dist' });
    this.declaration = declare(this, { props: given });
    // Props that failed their check are not read (the synth stops before compose): defaults stand in.
    const props = propsValid(this.declaration) ? given : ({} as MeshProps);
    this.meshName = props.name ?? 'p2c';
    this.frontProxyUrl = props.kcp?.frontProxyUrl?.replace(/\/+$/, '');
    this.teamWorkspaceParent = props.kcp?.teamWorkspaceParent ?? 'root:team';
    this.createParents = props.kcp?.createParents ?? false;
    this.gitops = props.gitops ?? {};
    this.protectedKinds = props.protectedKinds ?? [];
    this.owners = props.owners ?? [];
    const g = globalThis as Registry;
    (g[registry] ??= []).push(this);
  }

  /**
   * Lets GitOps delete, when they later leave the mesh, the data-holding objects `scope` (a team, binding,
   * provided API, cluster, or any construct) and its children emit; until then nothing is deleted. Step one:
   * keep the construct, add `mesh.retire(it, why)`, synthesize, merge and let Argo CD or Flux sync (the
   * objects lose their protection and carry the reason). Step two: remove the construct and the retire line;
   * GitOps then deletes those objects and everything they hold, and synth says so.
   */
  retire(scope: IConstruct, reason: string): void {
    this.retirements.push({ scope, reason, location: captureCallSite() });
  }

  /** Declares an APIExport that exists outside this mesh, so teams can bind it (see ExternalExport). */
  externalExport(id: string, props: ExternalExportProps): ExternalExport {
    return new ExternalExport(this, id, props);
  }

  /** Declares a WorkspaceType, e.g. one that gives every workspace of the type a default binding. */
  workspaceType(id: string, props: WorkspaceTypeProps): WorkspaceType {
    return new WorkspaceType(this, id, props);
  }

  /** Declares a Platform Mesh organization in root:orgs (see Organization). */
  organization(id: string, props: OrganizationProps = {}): Organization {
    return new Organization(this, id, props);
  }

  /**
   * Adds labels and annotations to every object p2c generates for `scope` and the constructs under it (the mesh for
   * all), e.g. Platform Mesh's `ui.platform-mesh.io/content-for` on a provided API's APIExport:
   * `mesh.addMetadata(postgres, { labels: { 'ui.platform-mesh.io/content-for': 'postgres' }, kinds: ['APIExport'] })`.
   * A key p2c itself sets on an object (its labels, protection and ordering annotations) is refused, not overridden.
   */
  addMetadata(scope: IConstruct, extra: ExtraMetadata): void {
    this.metadataRules.push({ ...extra, scope, location: captureCallSite() });
  }
}
