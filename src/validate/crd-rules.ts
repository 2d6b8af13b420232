import { parse } from '@bufbuild/cel';
import { dns1035Problem, dnsSubdomainProblem } from '../check/names.js';

type Schema = { [key: string]: unknown };

/**
 * The largest CRD p2c accepts: etcd's default request limit (1.5 MiB, --max-request-bytes), which every object
 * the API server stores must fit. A larger CRD file is refused before it is parsed, so it cannot exhaust memory.
 */
export const maxCrdBytes = 1.5 * 1024 * 1024;
type Crd = {
  metadata?: { name?: string; annotations?: Record<string, string> };
  spec?: {
    group?: string; scope?: string;
    names?: { kind?: string; plural?: string; singular?: string; listKind?: string; shortNames?: string[]; categories?: string[] };
    versions?: Array<{ name?: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema } }>;
  };
};

/** Keywords a structural schema may not use (apiextensions-apiserver pkg/apiserver/schema, validation.go). */
const forbidden = ['$ref', 'definitions', 'dependencies', 'patternProperties', 'additionalItems', 'id', '$schema'];

/**
 * Structural schema (apiextensions-apiserver pkg/apiserver/schema/validation.go): every node states its type,
 * except under x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields; properties and
 * additionalProperties never together; no forbidden keywords; no uniqueItems: true or additionalProperties: false.
 */
function structuralProblems(s: unknown, at: string, out: string[], root = false): void {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    out.push(`${at}: is not a schema object`);
    return;
  }
  const n = s as Schema;
  const free = n['x-kubernetes-int-or-string'] === true || n['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof n['type'] !== 'string' && !free) out.push(`${at}: must state a type (structural schema)`);
  if (root && n['type'] !== undefined && n['type'] !== 'object') out.push(`${at}: the root must be of type object`);
  for (const k of forbidden) if (k in n) out.push(`${at}: '${k}' is not allowed in a structural schema`);
  if (n['uniqueItems'] === true) out.push(`${at}: uniqueItems cannot be true`);
  if (n['additionalProperties'] === false) out.push(`${at}: additionalProperties cannot be false`);
  if (n['properties'] !== undefined && n['additionalProperties'] !== undefined) out.push(`${at}: properties and additionalProperties are mutually exclusive`);
  if (n['type'] === 'array' && n['items'] === undefined) out.push(`${at}: an array must say what its items are (items)`);
  for (const [k, v] of Object.entries((n['properties'] as Record<string, unknown>) ?? {})) structuralProblems(v, `${at}.properties.${k}`, out);
  if (typeof n['additionalProperties'] === 'object') structuralProblems(n['additionalProperties'], `${at}.additionalProperties`, out);
  if (n['items'] !== undefined) structuralProblems(n['items'], `${at}.items`, out);
  for (const [v, where] of valueValidations(n, at)) valueValidation(v, where, out);
  for (const [i, r] of (Array.isArray(n['x-kubernetes-validations']) ? (n['x-kubernetes-validations'] as Array<{ rule?: unknown; messageExpression?: unknown }>) : []).entries()) {
    if (typeof r?.rule !== 'string') out.push(`${at}.x-kubernetes-validations[${i}]: has no rule`);
    for (const [field, expression] of [['rule', r?.rule], ['messageExpression', r?.messageExpression]] as const) {
      if (typeof expression !== 'string') continue;
      const error = celCompileError(expression);
      if (error !== undefined) out.push(`${at}.x-kubernetes-validations[${i}].${field}: the CEL expression does not compile: ${error}`);
    }
  }
}

/**
 * Why a CEL expression does not parse (its first line), or undefined: a pure function of the text, kept per
 * expression, since every cluster's copy of an installed CRD (PublishedResource, kube-bind's) repeats the same rules.
 */
const celVerdicts = new Map<string, string | undefined>();
function celCompileError(expression: string): string | undefined {
  if (celVerdicts.has(expression)) return celVerdicts.get(expression);
  let error: string | undefined;
  try {
    parse(expression);
  } catch (e) {
    error = String((e as Error).message).split('\n')[0];
  }
  celVerdicts.set(expression, error);
  return error;
}

/** The subschemas of allOf, anyOf, oneOf and not, with where they are. */
function valueValidations(n: Schema, at: string): Array<[unknown, string]> {
  return ['allOf', 'anyOf', 'oneOf', 'not'].flatMap((k) => {
    const subs = k === 'not' ? (n[k] === undefined ? [] : [n[k]]) : Array.isArray(n[k]) ? (n[k] as unknown[]) : [];
    return subs.map((v, i): [unknown, string] => [v, `${at}.${k}[${i}]`]);
  });
}

/** Inside allOf/anyOf/oneOf/not: value validations only (no type, default, additionalProperties, nullable, CEL). */
function valueValidation(s: unknown, at: string, out: string[]): void {
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return;
  const n = s as Schema;
  for (const k of [...forbidden, 'type', 'default', 'additionalProperties', 'nullable', 'x-kubernetes-validations']) {
    if (k in n) out.push(`${at}: '${k}' is not allowed inside a value validation`);
  }
  for (const v of Object.values((n['properties'] as Record<string, unknown>) ?? {})) valueValidation(v, `${at}.properties`, out);
  if (n['items'] !== undefined) valueValidation(n['items'], `${at}.items`, out);
  for (const [v, where] of valueValidations(n, at)) valueValidation(v, where, out);
}

/** Fields of a v1 CRD (apiextensions-apiserver pkg/apis/apiextensions/v1/types.go); kubectl's strict field validation refuses others. */
const known: ReadonlyArray<[string, (c: Crd) => unknown, ReadonlySet<string>]> = [
  ['', (c) => c, new Set(['apiVersion', 'kind', 'metadata', 'spec', 'status'])],
  ['/spec', (c) => c.spec, new Set(['group', 'names', 'scope', 'versions', 'conversion', 'preserveUnknownFields'])],
  ['/spec/names', (c) => c.spec?.names, new Set(['plural', 'singular', 'shortNames', 'kind', 'listKind', 'categories'])],
];
const versionFields = new Set(['name', 'served', 'storage', 'deprecated', 'deprecationWarning', 'schema', 'subresources', 'additionalPrinterColumns', 'selectableFields']);

/**
 * What the API server checks when a CustomResourceDefinition is created (apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go), beyond its OpenAPI schema. `field: why`.
 */
export function crdProblems(crd: unknown): string[] {
  const c = crd as Crd;
  const out: string[] = [];
  for (const [at, get, fields] of known) {
    for (const k of Object.keys((get(c) as object | undefined) ?? {})) if (!fields.has(k)) out.push(`${at}/${k}: unknown field`);
  }
  for (const [i, v] of (c.spec?.versions ?? []).entries()) {
    for (const k of Object.keys(v ?? {})) if (!versionFields.has(k)) out.push(`/spec/versions/${i}/${k}: unknown field`);
  }
  const spec = c.spec ?? {};
  const names = spec.names ?? {};
  const group = spec.group ?? '';
  const groupProblem = dnsSubdomainProblem(group);
  if (groupProblem) out.push(`/spec/group: '${group}' ${groupProblem}`);
  else if (!group.includes('.')) out.push(`/spec/group: '${group}' should be a domain with at least one dot`);
  const approval = c.metadata?.annotations?.['api-approved.kubernetes.io'];
  if (/(^|\.)(k8s\.io|kubernetes\.io)$/.test(group) && !(approval && (/^https?:\/\//.test(approval) || approval.startsWith('unapproved')))) {
    out.push(`/spec/group: '${group}' is reserved for Kubernetes; it needs the api-approved.kubernetes.io annotation (a URL, or "unapproved…")`);
  }
  if (c.metadata?.name !== `${names.plural}.${group}`) out.push(`/metadata/name: must be '${names.plural}.${group}' (spec.names.plural.spec.group)`);
  for (const [field, value] of [['plural', names.plural], ['singular', names.singular]] as const) {
    const p = value === undefined ? undefined : dns1035Problem(value);
    if (p) out.push(`/spec/names/${field}: '${value}' ${p}`);
  }
  for (const [field, value] of [['kind', names.kind], ['listKind', names.listKind]] as const) {
    const p = value === undefined ? undefined : dns1035Problem(value.toLowerCase());
    if (p) out.push(`/spec/names/${field}: '${value}' ${p.replace('lower-case ', '')}`);
  }
  if (names.kind !== undefined && names.kind === names.listKind) out.push('/spec/names/listKind: must differ from kind');
  for (const field of ['shortNames', 'categories'] as const) {
    for (const s of names[field] ?? []) {
      const p = dns1035Problem(s);
      if (p) out.push(`/spec/names/${field}: '${s}' ${p}`);
    }
  }
  const versions = spec.versions ?? [];
  const seen = new Set<string>();
  for (const [i, v] of versions.entries()) {
    const p = dns1035Problem(v.name ?? '');
    if (p) out.push(`/spec/versions/${i}/name: '${v.name}' ${p}`);
    if (seen.has(v.name ?? '')) out.push(`/spec/versions/${i}/name: '${v.name}' appears twice`);
    seen.add(v.name ?? '');
    const schema = v.schema?.openAPIV3Schema;
    if (schema === undefined) out.push(`/spec/versions/${i}/schema: a v1 CRD needs an openAPIV3Schema per version`);
    else structuralProblems(schema, `/spec/versions/${i}/schema/openAPIV3Schema`, out, true);
  }
  const storage = versions.filter((v) => v.storage === true).length;
  if (versions.length === 0) out.push('/spec/versions: a CRD needs at least one version');
  if (versions.length > 0 && storage !== 1) out.push(`/spec/versions: exactly one version must be the storage version (${storage} are)`);
  return out;
}
