import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, MeshError } from '../src/index.js';
import { upstreamCatalog } from './support/oracle.js';
import { build, meshSpec, mutations } from './support/random-mesh.js';
import { appName } from '../src/emit/gitops.js';

describe('property: random valid meshes', () => {
  it('synthesize without problems, pass the upstream CRDs, and are byte-identical under shuffled declaration order (500 meshes)', () => {
    const catalog = upstreamCatalog();
    fc.assert(
      fc.property(meshSpec, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (spec, seed) => {
        const a = compile(build(spec).mesh, { catalog });
        expect(a.diagnostics).toEqual([]);
        expect(a.manifests.length).toBeGreaterThan(0);
        const b = compile(build(spec, seed).mesh, { catalog });
        expect(b.diagnostics).toEqual([]);
        expect([...b.files.keys()]).toEqual([...a.files.keys()]);
        for (const [f, content] of a.files) if (b.files.get(f) !== content) expect(b.files.get(f), f).toBe(content);
      }),
      { numRuns: 500 },
    );
  });
});

describe('property: random invalid meshes', () => {
  it('each ends in p2c errors with codes (including the one it broke), never an uncaught exception (500 meshes)', () => {
    fc.assert(
      fc.property(meshSpec, fc.constantFrom(...mutations), (spec, mutation) => {
        let codes: string[];
        try {
          const built = build(spec);
          mutation.apply(built, spec);
          const c = compile(built.mesh);
          codes = c.diagnostics.map((d) => d.code);
          for (const d of c.diagnostics) expect(d.message.length, mutation.name).toBeGreaterThan(10);
        } catch (e) {
          if (e instanceof MeshError) codes = e.diagnostics.map((d) => d.code);
          else throw new Error(`${mutation.name}: uncaught ${(e as Error).stack}`);
        }
        expect(codes.length, mutation.name).toBeGreaterThan(0);
        expect(codes.every((c) => /^P2C\d{3}$/.test(c)), mutation.name).toBe(true);
        expect(codes, mutation.name).toContain(mutation.expect);
      }),
      { numRuns: 500 },
    );
  });
});

describe('property: one more binding moves only the waves downstream of what it changed', () => {
  it('every Argo CD app whose sync wave changes applies a changed folder or one ordered after it (300 meshes)', () => {
    const wavesOf = (c: ReturnType<typeof compile>) => new Map(c.manifests.filter((m) => m.object.kind === 'Application')
      .map((m) => [m.object.metadata.name, m.object.metadata.annotations!['argocd.argoproj.io/sync-wave']] as const));
    let movedSomewhere = 0; // the property is about something: some added bindings do move waves
    fc.assert(
      fc.property(meshSpec, fc.nat(), fc.nat(), fc.nat(1), (spec, consumer, provider, api) => {
        const n = spec.teams.length;
        if (spec.teams[provider % n]!.apis.length === 0) return;
        const extra = { consumer: consumer % n, provider: provider % n, api: api % spec.teams[provider % n]!.apis.length, reject: false };
        if (spec.bindings.some((b) => b.consumer === extra.consumer && b.provider === extra.provider && b.api === extra.api)) return;
        const before = compile(build(spec).mesh);
        const after = compile(build({ ...spec, bindings: [...spec.bindings, extra] }).mesh);
        expect(after.diagnostics).toEqual([]);
        // Folders whose objects changed, and everything ordered after them (before or after the change).
        const changed = new Set([...after.files.keys(), ...before.files.keys()]
          .filter((f) => !f.startsWith('gitops/') && f.endsWith('/manifest.yaml') && before.files.get(f) !== after.files.get(f))
          .map((f) => f.slice(0, -'/manifest.yaml'.length)));
        const edges = [...before.mesh.applyOrder.edges, ...after.mesh.applyOrder.edges];
        const downstream = new Set(changed);
        for (let grew = true; grew;) {
          grew = false;
          for (const e of edges) if (downstream.has(e.from) && !downstream.has(e.to)) (downstream.add(e.to), (grew = true));
        }
        const names = new Set([...downstream].map(appName));
        const [a, b] = [wavesOf(before), wavesOf(after)];
        const moved = [...b.keys()].filter((app) => a.has(app) && a.get(app) !== b.get(app));
        expect(moved.filter((app) => !names.has(app))).toEqual([]);
        if (moved.length) movedSomewhere++;
      }),
      { numRuns: 300 },
    );
    expect(movedSomewhere).toBeGreaterThan(10);
  });
});
