import type { Origin } from './origin.js';

/**
 * The plain-data model of a mesh. Everything after `compose` works on this, never on
 * constructs: it can be built by hand in tests and handed between phases freely.
 */

export type JsonObject = { [key: string]: unknown };

/** A Kubernetes object as plain data. */
export interface KubeObject extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
}

export interface SubjectModel {
  readonly kind: 'Group' | 'User' | 'ServiceAccount';
  readonly name: string;
  readonly namespace?: string;
}

export interface TeamModel {
  readonly name: string;
  readonly workspacePath?: string;
  readonly subjects: readonly SubjectModel[];
  readonly origin: Origin;
}

export interface WorkspaceModel {
  readonly path: string;
  /** Owning team; undefined for a workspace declared outside any team. */
  readonly owner?: string;
  readonly type?: { readonly name: string; readonly path?: string };
  readonly origin: Origin;
}

export interface ClusterModel {
  readonly name: string;
  readonly owner?: string;
  readonly server: string;
  readonly origin: Origin;
}

/** One CRD served by an export. */
export interface ServiceResourceModel {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly string[];
  readonly hasStatus: boolean;
  readonly crd: KubeObject;
}

export interface RelatedModel {
  readonly identifier: string;
  readonly origin: 'service' | 'kcp';
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly reference?: string;
  readonly template?: string;
  readonly identityHash?: string;
}

/** A service API published from a compute cluster into a workspace by api-syncagent. */
export interface ExportModel {
  readonly name: string;
  readonly team: string;
  /** The team's workspace; undefined when the team has none (a check reports it). */
  readonly workspacePath?: string;
  readonly cluster: string;
  readonly resources: readonly ServiceResourceModel[];
  readonly related: readonly RelatedModel[];
  readonly installCrd: boolean;
  readonly enableWorkspacePaths: boolean;
  readonly agentName: string;
  readonly agentNamespace: string;
  readonly agentImage: string;
  readonly kcpKubeconfigSecret: string;
  readonly identityHash?: string;
  readonly origin: Origin;
}

export interface ExportRef {
  readonly path: string;
  readonly name: string;
}

export interface BindingModel {
  readonly name: string;
  readonly team: string;
  readonly workspacePath?: string;
  readonly export: ExportRef;
  readonly accept: readonly string[];
  readonly reject: readonly string[];
  readonly origin: Origin;
}

/** Where objects go: a kcp workspace or a compute cluster. */
export type Target = { readonly type: 'workspace'; readonly path: string } | { readonly type: 'cluster'; readonly name: string };

/** An object a user added with cdk8s to a workspace or cluster. */
export interface UserObjectModel {
  readonly target: Target;
  readonly object: KubeObject;
  readonly origin: Origin;
}

export interface MeshModel {
  readonly name: string;
  readonly frontProxyUrl: string;
  readonly teams: readonly TeamModel[];
  readonly workspaces: readonly WorkspaceModel[];
  readonly clusters: readonly ClusterModel[];
  readonly exports: readonly ExportModel[];
  readonly bindings: readonly BindingModel[];
  readonly userObjects: readonly UserObjectModel[];
}
