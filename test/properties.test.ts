import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, MeshError } from '../src/index.js';
import { upstreamCatalog } from './support/oracle.js';
import { build, meshSpec, mutations } from './support/random-mesh.js';

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
