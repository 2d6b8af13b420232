/**
 * api-syncagent's behaviour at kcp-dev/api-syncagent v0.7.0 and kcp v0.32, written as rules p2c's output must
 * satisfy. Each rule names the upstream file it follows.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/model/mesh.js';
import { compileExample, exampleNames } from '../support/examples.js';

type V2Claim = { group?: string; resource: string; identityHash?: string; verbs: string[] };
type V1Claim = { group?: string; resource: string; all?: boolean; resourceSelector?: unknown[]; identityHash?: string };

/**
 * kcp sdk apis/apis/v1alpha2/types_apiexport_conversion.go (v0.32): a v1alpha2 claim converts to
 * {group, resource, identityHash}; `all` and `resourceSelector` come only from the
 * apis.v1alpha2.kcp.io/v1alpha1-permission-claims annotation, matched on group, resource and identityHash.
 */
function toV1alpha1(exp: KubeObject): V1Claim[] {
  const saved = JSON.parse(exp.metadata.annotations?.['apis.v1alpha2.kcp.io/v1alpha1-permission-claims'] ?? '[]') as V1Claim[];
  const same = (a: V1Claim, b: V2Claim) => (a.group ?? '') === (b.group ?? '') && a.resource === b.resource && (a.identityHash ?? '') === (b.identityHash ?? '');
  return ((exp['spec'] as { permissionClaims?: V2Claim[] }).permissionClaims ?? []).map((c) => {
    const o = saved.find((s) => same(s, c));
    return { ...(c.group ? { group: c.group } : {}), resource: c.resource, ...(o?.all ? { all: true } : {}), ...(o?.resourceSelector ? { resourceSelector: o.resourceSelector } : {}), ...(c.identityHash ? { identityHash: c.identityHash } : {}) };
  });
}

/**
 * The claims the agent wants for its PublishedResources (api-syncagent v0.7.0 internal/controller/apiexport/
 * controller.go): events always; namespaces with related resources or a namespace filter; logicalclusters with
 * enableWorkspacePaths; every related resource the export does not serve itself, with its identityHash.
 */
function agentClaims(published: KubeObject[]): Array<{ group: string; resource: string; identityHash: string }> {
  type Related = { group?: string; resource: string; identityHash?: string };
  type PR = { resource: { apiGroup: string; kind: string }; related?: Related[]; filter?: { namespace?: unknown }; enableWorkspacePaths?: boolean };
  const specs = published.map((p) => p['spec'] as PR);
  const own = new Set(published.map((p) => `${(p['spec'] as PR).resource.apiGroup}/${p.metadata.name.split('.')[0]}`));
  const out = new Map<string, { group: string; resource: string; identityHash: string }>();
  const add = (group: string, resource: string, identityHash = '') => out.set(`${group}/${resource}/${identityHash}`, { group, resource, identityHash });
  add('', 'events');
  if (specs.some((s) => (s.related ?? []).length > 0 || s.filter?.namespace)) add('', 'namespaces');
  if (specs.some((s) => s.enableWorkspacePaths)) add('core.kcp.io', 'logicalclusters');
  for (const s of specs) for (const r of s.related ?? []) if (!own.has(`${r.group ?? ''}/${r.resource}`)) add(r.group ?? '', r.resource, r.identityHash ?? '');
  return [...out.values()];
}

/** reconciler.go: a claim counts as the agent's own only with `all: true`, no resourceSelector, same group/resource/hash. */
function missingForAgent(exp: KubeObject, wanted: ReturnType<typeof agentClaims>) {
  const have = toV1alpha1(exp).filter((c) => c.all && !c.resourceSelector?.length);
  return wanted.filter((w) => !have.some((h) => (h.group ?? '') === w.group && h.resource === w.resource && (h.identityHash ?? '') === w.identityHash));
}

async function syncAgentExports() {
  const out: Array<{ example: string; exp: KubeObject; published: KubeObject[] }> = [];
  for (const name of exampleNames) {
    const c = await compileExample(name);
    const objects = c.manifests.map((m) => m.object);
    for (const exp of objects.filter((o) => o.kind === 'APIExport')) {
      const agent = exp.metadata.annotations?.['syncagent.kcp.io/agent-name'];
      if (!agent) continue;
      const published = objects.filter((o) => o.kind === 'PublishedResource' && o.metadata.labels?.['p2c.dev/api-syncagent'] === agent);
      out.push({ example: name, exp, published });
    }
  }
  return out;
}

describe('api-syncagent owns the claims of its APIExport without a fight', () => {
  it('every export an agent serves converts to v1alpha1 with each claim the agent wants as all: true', async () => {
    const exports = await syncAgentExports();
    expect(exports.length).toBeGreaterThan(0);
    for (const { example, exp, published } of exports) {
      expect(published.length, `${example}: ${exp.metadata.name} has PublishedResources`).toBeGreaterThan(0);
      expect(missingForAgent(exp, agentClaims(published)), `${example}: ${exp.metadata.name}`).toEqual([]);
    }
  });

  it('without the annotation the agent would append every claim again (the rule bites)', async () => {
    const { exp, published } = (await syncAgentExports())[0]!;
    const bare = { ...exp, metadata: { ...exp.metadata, annotations: {} } };
    expect(missingForAgent(bare, agentClaims(published)).length).toBe(agentClaims(published).length);
  });

  it('the annotation is what kcp writes back after the agent updates the export: no drift', async () => {
    // v1alpha1 → v1alpha2 stores json.Marshal of the v1alpha1 claims (fields group,omitempty; resource; all;
    // identityHash,omitempty), in the order the agent sorts them: group, then resource.
    for (const { exp } of await syncAgentExports()) {
      const v1 = toV1alpha1(exp).sort((a, b) => ((a.group ?? '') + '\0' + a.resource < (b.group ?? '') + '\0' + b.resource ? -1 : 1));
      expect(exp.metadata.annotations!['apis.v1alpha2.kcp.io/v1alpha1-permission-claims']).toBe(JSON.stringify(v1));
      const claims = (exp['spec'] as { permissionClaims: V2Claim[] }).permissionClaims;
      expect(claims.map((c) => `${c.group}/${c.resource}`)).toEqual(v1.map((c) => `${c.group ?? ''}/${c.resource}`));
      expect(claims.every((c) => c.verbs.length === 1 && c.verbs[0] === '*')).toBe(true);
      expect((exp['spec'] as { resources?: unknown }).resources, 'spec.resources is the agent\'s').toBeUndefined();
    }
  });
});

describe('api-syncagent RBAC', () => {
  it('kcp side: the agent identity may do in its workspace exactly what getting-started "kcp RBAC" lists', async () => {
    const c = await compileExample('idp');
    const ws = (c.layout.folders.get('kcp/root/team/database') ?? []).map((p) => p.object);
    const role = ws.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'p2c:api-syncagent:database-postgres')!;
    const rules = role['rules'] as Array<{ apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }>;
    const grants = (group: string, resource: string, verb: string, name?: string) =>
      rules.some((r) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb) && (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))));
    expect(grants('core.kcp.io', 'logicalclusters', 'get', 'cluster')).toBe(true);
    for (const v of ['get', 'list', 'watch', 'update', 'patch']) expect(grants('apis.kcp.io', 'apiexports', v, 'database.example.com'), v).toBe(true);
    expect(grants('apis.kcp.io', 'apiexports', 'update', 'elastic.example.com')).toBe(false);
    for (const v of ['get', 'list', 'watch']) expect(grants('apis.kcp.io', 'apiexportendpointslices', v, 'database.example.com')).toBe(true);
    expect(grants('apis.kcp.io', 'apiresourceschemas', 'create')).toBe(true);
    expect(grants('', 'events', 'create')).toBe(true);
    for (const v of ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']) expect(grants('apis.kcp.io', 'apiexports/content', v, 'database.example.com')).toBe(true);
    const binding = ws.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'p2c:api-syncagent:database-postgres')!;
    expect(binding['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'database-postgres', namespace: 'default' }]);
    const access = ws.find((o) => o.kind === 'ClusterRoleBinding' && o.metadata.name === 'p2c:api-syncagent:database-postgres:access')!;
    expect(access['roleRef']).toMatchObject({ kind: 'ClusterRole', name: 'system:kcp:workspace:access' });
    expect(ws.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'database-postgres' && o.metadata.namespace === 'default')).toBe(true);
  });

  it('cluster side: events in `default` for cluster-scoped PublishedResources; Secrets read cluster-wide, never deleted', async () => {
    const c = await compileExample('idp');
    for (const cluster of ['database', 'observability']) {
      const objs = (c.layout.folders.get(`clusters/${cluster}`) ?? []).map((p) => p.object);
      const agents = objs.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/name'] === 'api-syncagent');
      expect(agents.length).toBe(1);
      const name = `p2c:api-syncagent:${agents[0]!.metadata.name}`;
      const inDefault = objs.find((o) => o.kind === 'Role' && o.metadata.namespace === 'default' && o.metadata.name === `${name}:events`)!;
      expect(inDefault['rules']).toEqual([{ apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] }]);
      expect(objs.some((o) => o.kind === 'RoleBinding' && o.metadata.namespace === 'default' && o.metadata.name === `${name}:events`)).toBe(true);
      const rules = objs.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name)!['rules'] as Array<{ resources: string[]; verbs: string[] }>;
      const secretVerbs = rules.filter((r) => r.resources.includes('secrets')).flatMap((r) => r.verbs);
      expect(new Set(secretVerbs)).toEqual(new Set(['get', 'list', 'watch', 'create', 'update']));
    }
  });

  it('the PublishedResource CRD is installed wherever an agent runs, derived from upstream with its release recorded', async () => {
    for (const name of exampleNames) {
      const c = await compileExample(name);
      for (const [folder, placed] of c.layout.folders) {
        if (!placed.some((p) => p.object.kind === 'PublishedResource')) continue;
        const crd = placed.find((p) => p.object.kind === 'CustomResourceDefinition' && p.object.metadata.name === 'publishedresources.syncagent.kcp.io');
        expect(crd, folder).toBeDefined();
        expect(crd!.object.metadata.annotations!['p2c.dev/upstream']).toMatch(/^kcp-dev\/api-syncagent@/);
      }
    }
  });
});
