import { compareText } from '../model/collections.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { convertCrd, type CrdDocument, type ImportedVersion } from './convert.js';
import { upstreamByGroup } from './upstream.js';
import { installableCrd, isInstallable } from './installable.js';

export interface SchemaIndexEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope: string;
  readonly file: string;
  readonly crd: string;
  readonly crdSha256: string;
  readonly upstream: string;
}

export interface ImportedSchema extends ImportedVersion {
  readonly entry: SchemaIndexEntry;
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? yamlFiles(path.join(dir, d.name)) : /\.ya?ml$/.test(d.name) ? [path.join(dir, d.name)] : []))
    .sort();
}

/** Reads every CRD under `dir` (recursively) and converts each served version. */
export function importCrdDirectory(dir: string): ImportedSchema[] {
  const out: ImportedSchema[] = [];
  for (const file of yamlFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const sha = createHash('sha256').update(text).digest('hex');
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS() as (CrdDocument & { kind?: string }) | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      for (const v of convertCrd(crd)) {
        const [group, version] = v.apiVersion.split('/') as [string, string];
        out.push({
          ...v,
          entry: {
            apiVersion: v.apiVersion, kind: v.kind, scope: v.scope,
            file: `${group}/${v.kind.toLowerCase()}.${version}.json`,
            crd: path.relative(dir, file).split(path.sep).join('/'),
            crdSha256: sha,
            upstream: upstreamByGroup[group] ?? 'unknown',
          },
        });
      }
    }
  }
  return out.sort((a, b) => compareText(a.entry.file, b.entry.file));
}

/** The CRDs p2c installs (see installable.ts), read from the upstream files under `dir`, by name. */
export function importInstallableCrds(dir: string): Map<string, object> {
  const out = new Map<string, object>();
  for (const file of yamlFiles(dir)) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as Parameters<typeof installableCrd>[0] & { kind?: string } | null;
      if (crd?.kind === 'CustomResourceDefinition' && isInstallable(crd.metadata.name)) out.set(crd.metadata.name, installableCrd(crd));
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Where installable CRDs live inside the schema folder. */
export const installableCrdDir = 'crds';

/** Writes schemas/<group>/<kind>.<version>.json, schemas/crds/<name>.json and schemas/index.json. */
export function writeSchemaDirectory(schemas: readonly ImportedSchema[], outDir: string, crds: ReadonlyMap<string, object> = new Map()): number {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(outDir, installableCrdDir), { recursive: true });
  for (const [name, crd] of crds) fs.writeFileSync(path.join(outDir, installableCrdDir, `${name}.json`), JSON.stringify(crd, null, 1) + '\n');
  for (const s of schemas) {
    const file = path.join(outDir, s.entry.file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(s.schema, null, 1) + '\n');
  }
  fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify({ generatedBy: 'p2c import-crds', schemas: schemas.map((s) => s.entry) }, null, 2) + '\n');
  return schemas.length;
}
