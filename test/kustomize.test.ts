import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { synth } from '../src/index.js';
import { tempDir } from './support/run.js';
import { idpMesh } from './fixtures/idp.js';

/** Every folder under kcp/ and clusters/ that p2c wrote. */
function outputFolders(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      out.push(path.join(d, e.name));
      walk(path.join(d, e.name));
    }
  };
  for (const top of ['kcp', 'clusters']) walk(path.join(root, top));
  return out.sort();
}

describe('kubectl kustomize builds every output folder', () => {
  const out = path.join(tempDir(), 'out');
  const { compilation } = synth(idpMesh(), { outdir: out });

  it('every folder has a kustomization.yaml, and kubectl kustomize renders exactly its objects', () => {
    const folders = outputFolders(out);
    expect(folders.length).toBeGreaterThanOrEqual(8);
    for (const dir of folders) {
      expect(fs.existsSync(path.join(dir, 'kustomization.yaml')), dir).toBe(true);
      const built = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      const objects = parseAllDocuments(built).map((d) => d.toJS()).filter(Boolean) as Array<{ kind: string; metadata: { name: string } }>;
      const expected = compilation.layout.folders.get(path.relative(out, dir))!;
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), dir).toEqual(expected.map((p) => `${p.object.kind}/${p.object.metadata.name}`).sort());
    }
  });
});
