import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';
import { SchemaCatalog } from './schema-catalog.js';
import { isCoreKind, removedIn, servedOnlyByKubernetes, validateCoreObject } from './core-kinds.js';
import { describeObject } from '../model/collections.js';
import { bindOnlyRoles, securityRulesOf } from './security.js';
import { validateInWorker, workersFor } from './parallel.js';
import type { VerdictCache } from './verdicts.js';
import { nestedProblems, objectMetaProblems, unsafeCharacterProblems } from './object-meta.js';
import { crdProblems, maxCrdBytes } from './crd-rules.js';


function describe(m: Checked): string {
  const o = m.object;
  return describeObject(o.kind, o.metadata.name, o.metadata.namespace);
}

/** What validation reads of a manifest. */
export type Checked = Pick<Manifest, 'object' | 'origin'>;

export interface ValidateOptions {
  /** Verdicts of earlier synths: an object found valid then, with the same content and context, is not checked again. */
  readonly verdicts?: VerdictCache;
  /** Threads that validate (1 or 2; the findings are the same). @default workersFor() */
  readonly workers?: number;
}

/** The share of the objects a worker takes: the compiler renders while it validates, then checks the rest. */
const workerShare = 0.6;

/**
 * Every object against the schema of its kind before anything is written: custom kinds
 * against schemas imported from the upstream CRDs (structure, defaults, CEL rules),
 * built-in kinds against the Kubernetes OpenAPI; then what the API server checks beyond the schemas (ObjectMeta,
 * names, data keys, CRDs) and characters kubectl would refuse; then the security rules. Secrets carrying data are
 * refused. Each finding is a function of the object and its security context alone, so objects with verdicts are
 * skipped and the rest may be split across threads. `finish` gives the findings, in the order of the manifests.
 */
export function startValidation(manifests: readonly Manifest[], catalog: SchemaCatalog, options: ValidateOptions = {}): { finish(): Diagnostic[] } {
  const { verdicts } = options;
  const bindOnly = bindOnlyRoles(manifests);
  const security = securityRulesOf(bindOnly);
  const todo: Checked[] = [];
  // With no verdicts read, nothing can be skipped: entries are made after validating, by whichever thread checked.
  const early = verdicts !== undefined && !verdicts.empty;
  const entries: Array<string | undefined> = [];
  for (const m of manifests) {
    const entry = early ? verdicts.entryOf(m.object, security.context(m)) : undefined;
    if (entry !== undefined && verdicts!.hasPassed(entry, m.object)) continue;
    todo.push(m);
    entries.push(entry);
  }
  const check = (m: Checked) => [...objectProblems(m, catalog), ...security.check(m)];
  const away = (options.workers ?? workersFor()) > 1 && todo.length > 1 ? Math.round(todo.length * workerShare) : 0;
  const worker = away > 0 ? validateInWorker(todo.slice(0, away), catalog, bindOnly, verdicts && !early ? verdicts.signer : undefined) : undefined;
  return {
    finish() {
      // This thread's share first, while the worker checks its own; then its answer.
      const here = todo.slice(away).map(check);
      const there = worker?.result();
      const found = [...(there?.found ?? todo.slice(0, away).map(check)), ...here];
      if (verdicts) {
        found.forEach((f, i) => {
          if (f.length > 0) return;
          const entry = entries[i] ?? there?.passed[i] ?? verdicts.entryOf(todo[i]!.object, security.context(todo[i]!));
          if (entry) verdicts.pass(entry, todo[i]!.object);
        });
      }
      return found.flat();
    },
  };
}

export function validateManifests(manifests: readonly Manifest[], catalog: SchemaCatalog, options: ValidateOptions = {}): Diagnostic[] {
  return startValidation(manifests, catalog, options).finish();
}

/** What the API server (and kubectl) would refuse in one object. */
export function objectProblems(m: Checked, catalog: SchemaCatalog): Diagnostic[] {
  const o = m.object;
  if (!o.metadata?.name) return [diagnostic('invalidObject', m.origin, `${o.kind} has no metadata.name`)];
  const custom = catalog.validate(o);
  const problems = [
    ...unsafeCharacterProblems(o),
    ...(custom ?? validateCoreObject(o) ?? []),
    ...objectMetaProblems(o, custom === undefined),
    ...(custom === undefined ? nestedProblems(o) : []),
    ...(o.apiVersion === 'apiextensions.k8s.io/v1' && o.kind === 'CustomResourceDefinition' ? crdProblems(o) : []),
    ...(o.kind === 'CustomResourceDefinition' && JSON.stringify(o).length > maxCrdBytes ? [`/: the CRD is over ${maxCrdBytes / 1048576} MiB; the API server stores nothing larger`] : []),
    ...(custom === undefined && !isCoreKind(o.apiVersion, o.kind) && servedOnlyByKubernetes(o.apiVersion) ? [`/: Kubernetes serves no ${o.kind} in ${o.apiVersion} (removed, or misspelled)`] : []),
    ...(removedIn(o.apiVersion, o.kind) ? [`/: Kubernetes ${removedIn(o.apiVersion, o.kind)} stopped serving ${o.kind} in ${o.apiVersion}; use its current API version`] : []),
  ];
  return problems.map((p) => diagnostic('invalidObject', m.origin, `${describe(m)} (${o.apiVersion}) ${p}`));
}
