import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { KroGraphModel, KroResourceModel } from '../model/mesh.js';
import { expressionsIn, expressionType, standaloneExpression, templateKind, type JsonType } from '../model/kro.js';
import { lookupKind } from '../resolve/availability.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { contractOf } from './contracts.js';
import { coreProblems, isCoreKind } from './core-kinds.js';
import { formatProblem, type SchemaCatalog, type SchemaProblem } from './schema-catalog.js';

/** Where a template holds an expression: a whole value (`${…}`, typed as the expression) or part of a string. */
interface ExpressionSite {
  readonly standalone?: string;
}

const pointer = (parts: readonly string[]) => (parts.length ? `/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` : '/');

function expressionSites(value: unknown, parts: string[] = [], out = new Map<string, ExpressionSite>()): Map<string, ExpressionSite> {
  if (typeof value === 'string') {
    if (expressionsIn(value).length) {
      const whole = standaloneExpression(value);
      out.set(pointer(parts), whole !== undefined ? { standalone: whole } : {});
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => expressionSites(v, [...parts, String(i)], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expressionSites(v, [...parts, k], out);
  return out;
}

const within = (path: string, site: string) => site === '/' || path === site || path.startsWith(`${site}/`);

/** JSON types that can fill a field of another: kro's structural compatibility, kept to what is certain. */
function fits(actual: JsonType, expected: string): boolean {
  const wanted = expected.split(',');
  return wanted.includes(actual) || (actual === 'integer' && wanted.includes('number'));
}

/**
 * A problem the template really has once kro fills in its expressions, or undefined when an expression decides it.
 * kro v0.9.3 pkg/graph/parser/parser.go and cel.go: a whole-value `${…}` takes the type of the expression, which must
 * fit the field (checked where p2c knows the expression's type); a string with `${…}` inside is a string, so only a
 * string field takes it, and what the string will hold (pattern, enum, length) is known only at run time.
 */
function judge(p: SchemaProblem, sites: ReadonlyMap<string, ExpressionSite>, graph: KroGraphModel, branched: ReadonlySet<string>): SchemaProblem | undefined {
  for (const [at, site] of sites) {
    if (p.keyword === 'cel' && within(at, p.path)) return undefined; // a rule over a value kro fills in
    if (site.standalone === undefined || !within(p.path, at)) continue;
    // A field with alternatives (int-or-string) takes what any of them takes: kro types it dyn.
    if (p.path !== at || p.keyword !== 'type' || !p.expected || branched.has(at)) return undefined;
    const actual = expressionType(graph, site.standalone);
    if (!actual || fits(actual, p.expected)) return undefined;
    return { ...p, message: `\${${site.standalone}} is ${actual}, but the field must be ${p.expected.replace(',', ' or ')} (kro rejects the graph: type mismatch)` };
  }
  const part = sites.get(p.path);
  if (part && part.standalone === undefined && p.keyword !== 'type') return undefined;
  if (part && part.standalone === undefined) return { ...p, message: `${p.message}: a string with \${…} inside is a string; make the whole value one \${…} expression to fill a non-string field` };
  return p;
}

function problemsOf(mesh: ResolvedMesh, catalog: SchemaCatalog, g: KroGraphModel, r: KroResourceModel): { what: string; problems: SchemaProblem[] } | undefined {
  const template = r.template as { apiVersion: string; kind: string } | undefined;
  const k = template && templateKind(r);
  if (!template || !k) return undefined;
  if (isCoreKind(k.apiVersion, k.kind)) return { what: `${k.kind} (${k.apiVersion})`, problems: coreProblems(template) ?? [] };
  const known = catalog.problems(template);
  if (known) return { what: `${k.kind} (${k.apiVersion})`, problems: known };
  const there = lookupKind(mesh.availability, { type: 'cluster', name: g.cluster }, k.apiVersion, k.kind);
  // Missing and unserved kinds are P2C015; a kind known only by name (declared, or another graph's) has no schema.
  if (there.found !== 'served' || !there.kind.crd) return undefined;
  return { what: there.kind.what, problems: contractOf(there.kind.crd).problems(template) ?? [] };
}

/**
 * Every KRO resource template is checked against the schema of its kind in the graph's cluster, as kro checks it when
 * it builds the graph (unknown fields, types) and as the API server checks the objects kro then creates (required
 * fields, enums, patterns, CEL rules), with `${…}` expressions standing for values of the type kro gives them.
 */
export function checkKroTemplates(mesh: ResolvedMesh, catalog: SchemaCatalog): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const g of mesh.kroGraphs) {
    for (const r of g.resources) {
      const found = problemsOf(mesh, catalog, g, r);
      if (!found?.problems.length) continue;
      const sites = expressionSites(r.template);
      const branched = new Set(found.problems.filter((p) => p.keyword === 'anyOf' || p.keyword === 'oneOf').map((p) => p.path));
      const kept = new Set<string>();
      for (const p of found.problems) {
        const real = judge(p, sites, g, branched);
        if (real) kept.add(formatProblem(real));
      }
      for (const p of kept) out.push(diagnostic('invalidObject', g.origin, `KRO graph '${g.name}' resource '${r.id}' template breaks the contract of ${found.what}: ${p}`));
    }
  }
  return out;
}
