import { kindsAt } from '../src/resolve/availability.js';
import { baseTarget } from '../src/model/target.js';
import { groupOf, kindKey } from '../src/model/collections.js';
import { beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, type Compilation } from '../src/index.js';
import { compileExample, exampleNames } from './support/examples.js';
import { importCrdDirectory, importInstallableCrds } from '../src/crd-import/import.js';
import { installableCrds } from '../src/crd-import/installable.js';
import { validateCoreObject } from '../src/validate/core-kinds.js';
import { upstreamCatalog } from './support/oracle.js';
import { haveUpstream, repoRoot, upstreamCrds } from './support/paths.js';
import { idpMesh } from './fixtures/idp.js';

describe.each(exampleNames)('examples/%s against the upstream CRDs (../shared/crds)', (name) => {
  let compilation: Compilation;
  beforeAll(async () => {
    compilation = await compileExample(name, { catalog: upstreamCatalog() });
  });

  it('compiles without problems', () => {
    expect(compilation.diagnostics).toEqual([]);
  });

  it('every object is a known kind: upstream CRD, built-in Kubernetes kind, or a kind the mesh makes available where it lands', () => {
    const unknown = compilation.manifests
      .filter((m) => m.target.type === 'gitops' || !kindsAt(compilation.mesh.availability, baseTarget(m.target))?.has(kindKey(groupOf(m.object.apiVersion), m.object.kind)))
      .map((m) => m.object)
      .filter((o) => !upstreamCatalog().has(o.apiVersion, o.kind) && validateCoreObject(o) === undefined && o.kind !== 'CustomResourceDefinition');
    expect(unknown.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual([]);
  });

  it('every custom object passes schema, defaults and CEL rules of its upstream CRD', () => {
    const custom = compilation.manifests.map((m) => m.object).filter((o) => upstreamCatalog().has(o.apiVersion, o.kind));
    expect(custom.length).toBeGreaterThan(3);
    for (const o of custom) expect(upstreamCatalog().validate(o), `${o.kind}/${o.metadata.name}`).toEqual([]);
  });

  it('cluster-scoped upstream kinds carry no namespace', () => {
    for (const o of compilation.manifests.map((m) => m.object)) {
      if (upstreamCatalog().scopeOf(o.apiVersion, o.kind) === 'Cluster') expect(o.metadata.namespace, o.kind).toBeUndefined();
    }
  });

  it('no role anywhere grants "*" verbs, resources or groups', () => {
    for (const o of compilation.manifests.map((m) => m.object).filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      for (const r of (o['rules'] as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>)) {
        expect([...r.apiGroups, ...r.resources, ...r.verbs], `${o.kind}/${o.metadata.name}`).not.toContain('*');
      }
    }
  });
});

describe('kinds and defaults', () => {
  const compilation = compile(idpMesh(), { catalog: upstreamCatalog() });

  it('the idp example emits every kind of the seed scenarios', async () => {
    const c = await compileExample('idp', { catalog: upstreamCatalog() });
    const k2k = await compileExample('kube-to-kube', { catalog: upstreamCatalog() });
    const kinds = new Set([...c.manifests, ...k2k.manifests].map((m) => m.object.kind));
    for (const k of ['Workspace', 'APIExport', 'APIBinding', 'APIResourceSchema', 'PublishedResource', 'APIServiceExportTemplate', 'Collection', 'BindableResourcesRequest', 'APIServiceBinding', 'ResourceGraphDefinition', 'Deployment', 'ClusterRole']) {
      expect(kinds.has(k), k).toBe(true);
    }
  });

  it('defaults are applied before CEL, as the API server does (APIExport claim identityHash defaults to "")', () => {
    const exp = compilation.manifests.find((m) => m.object.kind === 'APIExport')!.object;
    let defaulted: { spec: { permissionClaims: Array<{ identityHash?: string }> } } | undefined;
    upstreamCatalog().validate(exp, (o) => (defaulted = o as never));
    expect(defaulted!.spec.permissionClaims.every((c) => c.identityHash === '')).toBe(true);
  });

  it('APIExport storage defaults to crd: {} and passes "exactly one of crd or virtual"', async () => {
    const c = await compileExample('idp', { catalog: upstreamCatalog() });
    const exp = c.manifests.find((m) => m.object.kind === 'APIExport' && m.object.metadata.name === 'webshop.example.com')!.object;
    const { storage: _s, ...withoutStorage } = (exp['spec'] as { resources: Array<Record<string, unknown>> }).resources[0]!;
    const bare = { ...exp, spec: { ...(exp['spec'] as object), resources: [withoutStorage] } };
    let defaulted: { spec: { resources: Array<{ storage: unknown }> } } | undefined;
    expect(upstreamCatalog().validate(bare, (o) => (defaulted = o as never))).toEqual([]);
    expect(defaulted!.spec.resources[0]!.storage).toEqual({ crd: {} });
  });

  // These two compare with the upstream folder itself; without it there is nothing to compare (see support/paths.ts).
  it.skipIf(!haveUpstream)('schemas/crds/ holds exactly the installable CRDs the importer derives from upstream, without prose', () => {
    const fresh = importInstallableCrds(upstreamCrds);
    expect([...fresh.keys()].sort()).toEqual(Object.values(installableCrds).flat().sort());
    expect(fs.readdirSync(path.join(repoRoot, 'schemas/crds')).sort()).toEqual([...fresh.keys()].map((n) => `${n}.json`).sort());
    for (const [name, crd] of fresh) {
      expect(JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas/crds', `${name}.json`), 'utf8')), name).toEqual(crd);
      expect(JSON.stringify(crd)).not.toContain('"description":"');
    }
  });

  it.skipIf(!haveUpstream)('the project schemas/ are exactly what the importer makes of the upstream CRDs', () => {
    const index = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas/index.json'), 'utf8')) as { schemas: Array<{ file: string; upstream: string; crdSha256: string }> };
    const fresh = importCrdDirectory(upstreamCrds);
    expect(index.schemas.map((s) => s.file)).toEqual(fresh.map((s) => s.entry.file));
    for (const s of fresh) {
      expect(JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', s.entry.file), 'utf8')), s.entry.file).toEqual(s.schema);
      expect(index.schemas.find((e) => e.file === s.entry.file)!.crdSha256).toBe(s.entry.crdSha256);
    }
    expect(index.schemas.every((s) => s.upstream !== 'unknown')).toBe(true);
    // Descriptions are prose, not validation: none survive (a *property* named description may).
    const prose: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'description' && typeof v === 'string') prose.push(at);
        walk(v, `${at}/${k}`);
      }
    };
    fresh.forEach((s) => walk(s.schema, s.entry.file));
    expect(prose).toEqual([]);
  });
});

describe('the validator catches what the API server would reject', () => {
  const catalog = upstreamCatalog();
  const exportWith = (spec: object) => ({ apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIExport', metadata: { name: 'x.example.com' }, spec });

  it('CEL: an APIExport resource with both crd and virtual storage', () => {
    const problems = catalog.validate(exportWith({ resources: [{ group: 'g.io', name: 'things', schema: 'v1.things.g.io', storage: { crd: {}, virtual: { identityHash: 'h', reference: { kind: 'K', name: 'n' } } } }] }));
    expect(problems!.join('\n')).toContain('Exactly one of crd or virtual must be set');
  });

  it('schema: a claim without verbs, a bad resource name, an unknown field', () => {
    const problems = catalog.validate(exportWith({ permissionClaims: [{ group: '', resource: 'Secrets' }], bogus: true }))!.join('\n');
    expect(problems).toContain("must have required property 'verbs'");
    expect(problems).toContain('/spec/permissionClaims/0/resource: must match pattern');
    expect(problems).toContain("must NOT have additional properties 'bogus'");
  });

  it('CEL: a PublishedResource related resource with identityHash but no version', () => {
    const problems = catalog.validate({
      apiVersion: 'syncagent.kcp.io/v1alpha1', kind: 'PublishedResource', metadata: { name: 'p' },
      spec: { resource: { apiGroup: 'g.io', kind: 'K' }, related: [{ identifier: 'x', origin: 'kcp', resource: 'things', identityHash: 'abc', object: { template: { template: 'a' } } }] },
    })!.join('\n');
    expect(problems).toMatch(/identityHash|version/);
  });

  it('CEL: an APIBinding claim whose selector is missing, and a bad state', () => {
    const problems = catalog.validate({
      apiVersion: 'apis.kcp.io/v1alpha2', kind: 'APIBinding', metadata: { name: 'b' },
      spec: { reference: { export: { name: 'e', path: 'root:x' } }, permissionClaims: [{ group: '', resource: 'secrets', verbs: ['*'], state: 'Maybe' }] },
    })!.join('\n');
    expect(problems).toContain("must have required property 'selector'");
    expect(problems).toContain('must be equal to one of the allowed values');
  });

  it('built-in kinds are checked against the Kubernetes OpenAPI', () => {
    expect(validateCoreObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two' } } as never)!.join('\n')).toContain('/spec/replicas');
  });
});
