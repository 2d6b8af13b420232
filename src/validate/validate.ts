import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';
import { SchemaCatalog } from './schema-catalog.js';
import { isCoreKind, removedIn, servedOnlyByKubernetes, validateCoreObject } from './core-kinds.js';
import { describeObject } from '../model/collections.js';
import { securityRules } from './security.js';
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
 * names, data keys, CRDs) and characters kubectl would refuse. Secrets carrying data are refused.
 */
export function validateManifests(manifests: readonly Manifest[], catalog: SchemaCatalog): Diagnostic[] {
  const out: Diagnostic[] = securityRules(manifests);
  for (const m of manifests) {
    const o = m.object;
    if (!o.metadata?.name) {
      out.push(diagnostic('invalidObject', m.origin, `${o.kind} has no metadata.name`));
      continue;
    }
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
    for (const p of problems) out.push(diagnostic('invalidObject', m.origin, `${describe(m)} (${o.apiVersion}) ${p}`));
  }
  return out;
}
