import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Declaration } from './declared.js';
import { callerFile } from './call-site.js';
import { maxCrdBytes } from '../src/validate/crd-rules.js';

/** An apiextensions.k8s.io/v1 CustomResourceDefinition, as plain data. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    names: { kind: string; plural: string; singular?: string; [key: string]: unknown };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{ name: string; served: boolean; storage: boolean; [key: string]: unknown }>;
    [key: string]: unknown;
  };
}


/** A CRD given as a YAML file path (relative to the file declaring the construct) or inline. */
export type CrdSource = string | CustomResourceDefinition;

function shapeProblem(doc: unknown): string | undefined {
  const d = doc as Partial<CustomResourceDefinition> | null;
  if (!d || typeof d !== 'object') return 'is not an object';
  if (d.apiVersion !== 'apiextensions.k8s.io/v1' || d.kind !== 'CustomResourceDefinition')
    return `is ${String(d.apiVersion)}/${String(d.kind)}, expected apiextensions.k8s.io/v1 CustomResourceDefinition`;
  const s = d.spec;
  if (!s || typeof s.group !== 'string' || !s.names?.kind || !s.names?.plural) return 'lacks spec.group or spec.names.kind/plural';
  if (s.scope !== 'Namespaced' && s.scope !== 'Cluster') return 'has no spec.scope of Namespaced or Cluster';
  if (!Array.isArray(s.versions) || s.versions.length === 0) return 'has no spec.versions';
  return undefined;
}

/**
 * Reads the CRDs a construct names. Problems are recorded on the declaration, not thrown,
 * so one synth reports them with everything else.
 */
export function loadCrds(source: CrdSource, declaration: Declaration): CustomResourceDefinition[] {
  let docs: unknown[];
  let label: string;
  if (typeof source === 'string') {
    const base = callerFile(declaration.location);
    const file = path.resolve(base ? path.dirname(base) : process.cwd(), source);
    label = source;
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > maxCrdBytes) {
        declaration.problem('invalidCrd', `CRD file '${source}' is ${(size / 1048576).toFixed(1)} MiB; the API server stores nothing over ${maxCrdBytes / 1048576} MiB`, 'split it into one file per CRD, or trim descriptions');
        return [];
      }
      text = fs.readFileSync(file, 'utf8');
    } catch {
      declaration.problem('invalidCrd', `CRD file '${source}' cannot be read (looked at ${file})`, 'give a path relative to the file that declares this construct');
      return [];
    }
    const parsed = parseAllDocuments(text);
    const bad = parsed.flatMap((d) => d.errors);
    if (bad.length > 0) {
      declaration.problem('invalidCrd', `CRD file '${source}' is not valid YAML: ${bad[0]!.message.split('\n')[0]}`);
      return [];
    }
    try {
      docs = parsed.map((d) => d.toJS({ maxAliasCount: 100 })).filter((d) => d !== null && d !== undefined);
    } catch (e) {
      // An alias bomb (billion laughs) stops here, as one finding among the others.
      declaration.problem('invalidCrd', `CRD file '${source}' cannot be read: ${(e as Error).message.split('\n')[0]}`, 'write the CRD without YAML aliases');
      return [];
    }
  } else {
    docs = [source];
    label = 'inline CRD';
  }
  const crds: CustomResourceDefinition[] = [];
  for (const doc of docs) {
    const problem = shapeProblem(doc);
    if (problem) declaration.problem('invalidCrd', `${label}: a document ${problem}`);
    else crds.push(doc as CustomResourceDefinition);
  }
  if (crds.length === 0 && declaration.problems.length === 0) declaration.problem('invalidCrd', `${label} holds no CustomResourceDefinition`);
  return crds;
}
