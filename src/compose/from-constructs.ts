import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { Mesh } from '../../constructs/mesh.js';
import { Team } from '../../constructs/team.js';
import { Workspace } from '../../constructs/workspace.js';
import { ComputeCluster } from '../../constructs/compute-cluster.js';
import { ProvidedAPI } from '../../constructs/provided-api.js';
import { Binding } from '../../constructs/binding.js';
import { declarationOf } from '../../constructs/declared.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ClusterModel, ExportModel, KubeObject, MeshModel, ServiceResourceModel, Target, UserObjectModel, BindingModel, TeamModel, WorkspaceModel } from '../model/mesh.js';
import type { Origin } from '../model/origin.js';

export interface Composed {
  readonly model: MeshModel;
  readonly diagnostics: readonly Diagnostic[];
}

function owningTeam(c: IConstruct): Team | undefined {
  for (let s = c.node.scope; s; s = s.node.scope) if (s instanceof Team) return s;
  return undefined;
}

/** Own declaration, else the nearest declared ancestor's line (cdk8s objects record none). */
function originOf(c: IConstruct): Origin {
  const own = declarationOf(c);
  if (own) return own.origin;
  for (let s = c.node.scope; s; s = s.node.scope) {
    const d = declarationOf(s);
    if (d) return { path: c.node.path, location: () => d.location };
  }
  return { path: c.node.path };
}

/** The folder target of a cdk8s object: the nearest p2c workspace or cluster chart above it. */
function targetOf(obj: ApiObject): Target | undefined {
  let chart: Chart | undefined;
  try {
    chart = Chart.of(obj);
  } catch {
    return undefined;
  }
  for (let s: IConstruct | undefined = chart; s; s = s.node.scope) {
    if (Workspace.isWorkspace(s)) return { type: 'workspace', path: s.path };
    if (ComputeCluster.isComputeCluster(s)) return { type: 'cluster', name: s.name };
  }
  return undefined;
}

function serviceResource(crd: ProvidedAPI['crds'][number]): ServiceResourceModel {
  const versions = crd.spec.versions.filter((v) => v.served !== false);
  return {
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    plural: crd.spec.names.plural,
    scope: crd.spec.scope,
    versions: versions.map((v) => v.name),
    hasStatus: versions.some((v) => typeof v['subresources'] === 'object' && v['subresources'] !== null && 'status' in (v['subresources'] as object)),
    crd: crd as unknown as KubeObject,
  };
}

/**
 * Walks the construct tree once and turns it into the plain-data model. This is the only
 * phase that knows about constructs; everything after it sees data.
 */
export function composeMesh(mesh: Mesh): Composed {
  const diagnostics: Diagnostic[] = [];
  const teams: TeamModel[] = [];
  const workspaces: WorkspaceModel[] = [];
  const clusters: ClusterModel[] = [];
  const exports: ExportModel[] = [];
  const bindings: BindingModel[] = [];
  const userObjects: UserObjectModel[] = [];

  for (const c of mesh.node.findAll()) {
    const decl = declarationOf(c);
    if (decl) for (const p of decl.problems) diagnostics.push(diagnostic(p.check, decl.origin, p.message, p.hint));
    const team = owningTeam(c);

    if (c instanceof Team) {
      teams.push({ name: c.name, ...(c.workspace ? { workspacePath: c.workspace.path } : {}), subjects: c.subjects.map((s) => ({ ...s })), origin: originOf(c) });
    } else if (Workspace.isWorkspace(c)) {
      workspaces.push({ path: c.path, ...(team ? { owner: team.name } : {}), ...(c.type ? { type: { ...c.type } } : {}), origin: originOf(c) });
    } else if (ComputeCluster.isComputeCluster(c)) {
      clusters.push({ name: c.name, ...(team ? { owner: team.name } : {}), server: c.server, origin: originOf(c) });
    } else if (c instanceof ProvidedAPI) {
      const p = c.props;
      exports.push({
        name: c.exportName,
        team: team?.name ?? '',
        ...(team?.workspace ? { workspacePath: team.workspace.path } : {}),
        cluster: p.cluster.name,
        resources: c.crds.map(serviceResource),
        related: (p.related ?? []).map((r) => ({
          identifier: r.identifier,
          origin: r.origin,
          group: r.group ?? '',
          version: r.version ?? 'v1',
          resource: r.resource ?? 'secrets',
          ...(r.reference !== undefined ? { reference: r.reference } : {}),
          ...(r.template !== undefined ? { template: r.template } : {}),
          ...(r.identityHash ? { identityHash: r.identityHash } : {}),
        })),
        installCrd: p.installCrd ?? true,
        enableWorkspacePaths: p.enableWorkspacePaths ?? false,
        agentName: `${team?.name ?? 'mesh'}-${c.node.id}`,
        agentNamespace: p.agentNamespace ?? 'kcp-api-syncagent',
        agentImage: p.agentImage ?? 'ghcr.io/kcp-dev/api-syncagent:v0.7.0',
        kcpKubeconfigSecret: p.kcpKubeconfigSecret ?? 'kcp-kubeconfig',
        ...(p.identityHash ? { identityHash: p.identityHash } : {}),
        origin: originOf(c),
      });
    } else if (c instanceof Binding) {
      const p = c.props;
      const ref = p.api instanceof ProvidedAPI
        ? { path: owningTeam(p.api)?.workspace?.path ?? '', name: p.api.exportName }
        : { path: p.api.path, name: p.api.name };
      bindings.push({
        name: p.name ?? ref.name,
        team: team?.name ?? '',
        ...(team?.workspace ? { workspacePath: team.workspace.path } : {}),
        export: ref,
        accept: [...p.acceptClaims],
        reject: [...(p.rejectClaims ?? [])],
        origin: originOf(c),
      });
    } else if (c instanceof ApiObject) {
      const target = targetOf(c);
      const origin = originOf(c);
      if (!target) {
        diagnostics.push(diagnostic('noOwner', origin, `object ${c.kind}/${c.name} is not inside a team's workspace or compute cluster`, 'add it to team.workspace or to a ComputeCluster'));
        continue;
      }
      let object: KubeObject;
      try {
        object = c.toJson() as KubeObject;
      } catch (e) {
        diagnostics.push(diagnostic('invalidInput', origin, `cdk8s could not render ${c.kind}/${c.name}: ${(e as Error).message.split('\n')[0]}`));
        continue;
      }
      userObjects.push({ target, object, origin });
    }
  }

  const model: MeshModel = {
    name: mesh.meshName,
    frontProxyUrl: mesh.frontProxyUrl,
    teams, workspaces, clusters, exports, bindings, userObjects,
  };
  return { model, diagnostics };
}
