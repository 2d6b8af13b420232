import { App } from 'cdk8s';
import { declare, type Declaration } from './declared.js';

/** GitOps engines p2c can emit apps for. */
export type GitOpsEngine = 'argocd' | 'flux';

export interface KcpSettings {
  /** URL of the kcp front-proxy; GitOps destinations are `<url>/clusters/<workspace path>`. @default 'https://kcp.example.com' */
  readonly frontProxyUrl?: string;
  /** Parent workspace of teams' workspaces. @default 'root:team' */
  readonly teamWorkspaceParent?: string;
}

export interface GitOpsSettings {
  /** Engines to emit apps for (`p2c synth --gitops` overrides). @default ['argocd'] */
  readonly engines?: readonly GitOpsEngine[];
  /** Git repository holding the output. @default 'https://git.example.com/platform/mesh.git' */
  readonly repoURL?: string;
  /** Branch (Flux) or revision (Argo CD) to apply. @default 'main' */
  readonly revision?: string;
  /** Folder of the output inside the repository. @default 'dist' */
  readonly path?: string;
  /** @default 'argocd' */
  readonly argocdNamespace?: string;
  /** @default 'default' */
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
  readonly frontProxyUrl: string;
  readonly teamWorkspaceParent: string;
  readonly gitops: GitOpsSettings;
  /** @internal */
  readonly declaration: Declaration;

  constructor(props: MeshProps = {}) {
    super({ outdir: 'dist' });
    this.declaration = declare(this);
    this.meshName = props.name ?? 'p2c';
    this.frontProxyUrl = (props.kcp?.frontProxyUrl ?? 'https://kcp.example.com').replace(/\/+$/, '');
    this.teamWorkspaceParent = props.kcp?.teamWorkspaceParent ?? 'root:team';
    this.gitops = props.gitops ?? {};
    const g = globalThis as Registry;
    (g[registry] ??= []).push(this);
  }
}
