import { compile, Mesh, type Compilation } from '../../src/index.js';
import { loadMesh } from '../../src/cli/entry.js';
import { example } from './paths.js';

const cache = new Map<string, Compilation>();

/** Compiles an example by running its real mesh.ts, as `p2c synth` does. */
export async function compileExample(name: string, options: Parameters<typeof compile>[1] = {}): Promise<Compilation> {
  const key = `${name}:${options.catalog ? 'custom' : 'bundled'}`;
  if (!cache.has(key)) {
    const mesh: Mesh = await loadMesh(example(name));
    cache.set(key, compile(mesh, options));
  }
  return cache.get(key)!;
}

export const exampleNames = ['idp', 'kube-to-kube', 'platform-mesh'] as const;
