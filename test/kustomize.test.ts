import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Compilation } from '../src/index.js';
import { writeOutput } from '../src/output/write.js';
import { compileExample, exampleNames } from './support/examples.js';
import { tempDir } from './support/run.js';

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
  for (const top of ['kcp', 'clusters']) if (fs.existsSync(path.join(root, top))) walk(path.join(root, top));
  return out.sort();
}

describe.each(exampleNames)('kubectl kustomize builds every output folder of examples/%s', (name) => {
  const out = path.join(tempDir(), 'out');
  let compilation: Compilation;
  beforeAll(async () => {
    compilation = (await compileExample(name));
    expect(compilation.diagnostics).toEqual([]);
    writeOutput(out, compilation.files);
  });

  it('every folder has a kustomization.yaml, and kubectl kustomize renders exactly its objects', () => {
    const folders = outputFolders(out);
    expect(folders.length).toBeGreaterThanOrEqual(2);
    for (const dir of folders) {
      // A directory on the way to a folder (an external parent workspace's, like root:orgs) holds no files of its own.
      const files = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile());
      if (files.length === 0 && !compilation.layout.folders.has(path.relative(out, dir))) continue;
      expect(fs.existsSync(path.join(dir, 'kustomization.yaml')), dir).toBe(true);
      const built = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
      const objects = parseAllDocuments(built).map((d) => d.toJS()).filter(Boolean) as Array<{ kind: string; metadata: { name: string } }>;
      const expected = compilation.layout.folders.get(path.relative(out, dir))!;
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort(), dir).toEqual(expected.map((p) => `${p.object.kind}/${p.object.metadata.name}`).sort());
    }
  });
});
