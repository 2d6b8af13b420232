import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';
import { SchemaCatalog } from './schema-catalog.js';
import { validateCoreObject } from './core-kinds.js';
import { securityRules } from './security.js';
import { dnsLabelProblem, dnsSubdomainProblem } from '../check/names.js';


/** The API server's name rules for built-in kinds, which the OpenAPI schema does not carry. */
function coreNameProblems(o: Manifest['object']): string[] {
  const name = o.metadata.name;
  if (o.apiVersion === 'rbac.authorization.k8s.io/v1') {
    return name === '.' || name === '..' || /[/%]/.test(name) ? ['/metadata/name: RBAC names may not be "." or ".." or contain "/" or "%"'] : [];
  }
  const problems: string[] = [];
  const nameProblem = o.kind === 'Namespace' && o.apiVersion === 'v1' ? dnsLabelProblem(name) : dnsSubdomainProblem(name);
  if (nameProblem) problems.push(`/metadata/name: ${nameProblem}`);
  const namespaceProblem = o.metadata.namespace === undefined ? undefined : dnsLabelProblem(o.metadata.namespace);
  if (namespaceProblem) problems.push(`/metadata/namespace: ${namespaceProblem}`);
  return problems;
}

function describe(m: Manifest): string {
  const o = m.object;
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/**
 * Every object against the schema of its kind before anything is written: custom kinds
 * against schemas imported from the upstream CRDs (structure, defaults, CEL rules),
 * built-in kinds against the Kubernetes OpenAPI. Secrets carrying data are refused.
 */
export function validateManifests(manifests: readonly Manifest[], catalog: SchemaCatalog): Diagnostic[] {
  const out: Diagnostic[] = securityRules(manifests);
  for (const m of manifests) {
    const o = m.object;
    if (!o.metadata?.name) {
      out.push(diagnostic('invalidObject', m.origin, `${o.kind} has no metadata.name`));
      continue;
    }
    const problems = catalog.validate(o) ?? [...(validateCoreObject(o) ?? []), ...coreNameProblems(o)];
    for (const p of problems) out.push(diagnostic('invalidObject', m.origin, `${describe(m)} (${o.apiVersion}) ${p}`));
  }
  return out;
}
