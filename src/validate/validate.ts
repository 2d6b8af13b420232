import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';
import { SchemaCatalog } from './schema-catalog.js';
import { isCoreKind, removedIn, servedOnlyByKubernetes, validateCoreObject } from './core-kinds.js';
import { describeObject } from '../model/collections.js';
import { securityRulesOf } from './security.js';
import type { VerdictCache } from './verdicts.js';
import { nestedProblems, objectMetaProblems, unsafeCharacterProblems } from './object-meta.js';
import { crdProblems, maxCrdBytes } from './crd-rules.js';


function describe(m: Manifest): string {
  const o = m.object;
  return describeObject(o.kind, o.metadata.name, o.metadata.namespace);
}

/**
 * Every object against the schema of its kind before anything is written: custom kinds
 * against schemas imported from the upstream CRDs (structure, defaults, CEL rules),
 * built-in kinds against the Kubernetes OpenAPI; then what the API server checks beyond the schemas (ObjectMeta,
 * names, data keys, CRDs) and characters kubectl would refuse; then the security rules. Secrets carrying data are
 * refused. With `verdicts`, an object an earlier synth found valid, with the same content and context, is not
 * checked again: each finding is a function of those alone.
 */
export function validateManifests(manifests: readonly Manifest[], catalog: SchemaCatalog, verdicts?: VerdictCache): Diagnostic[] {
  const security = securityRulesOf(manifests);
  const out: Diagnostic[] = [];
  for (const m of manifests) {
    const entry = verdicts?.entryOf(m.object, security.context(m));
    if (entry !== undefined && verdicts!.hasPassed(entry)) continue;
    const found = [...objectProblems(m, catalog), ...security.check(m)];
    if (entry !== undefined && found.length === 0) verdicts!.pass(entry);
    out.push(...found);
  }
  return out;
}

/** What the API server (and kubectl) would refuse in one object. */
function objectProblems(m: Manifest, catalog: SchemaCatalog): Diagnostic[] {
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
