import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

type Schema = { [key: string]: unknown };
type Program = (ctx: { self: unknown; oldSelf?: unknown }) => unknown;

const env = celEnv({ funcs: strings });
const programs = new Map<string, Program | Error>();

// Names CEL reserves; Kubernetes exposes such fields as __name__ (KEP-2876).
const reserved = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

function escapeKey(key: string): string {
  if (reserved.has(key)) return `__${key}__`;
  return key.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/** JSON → CEL input: objects become maps with Kubernetes' key escaping, integers become int. */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') return new Map(Object.entries(value).map(([k, v]) => [escapeKey(k), toCel(v)]));
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

function program(rule: string): Program | Error {
  let p = programs.get(rule);
  if (!p) {
    try {
      p = plan(env, parse(rule)) as unknown as Program;
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(rule, p);
  }
  return p;
}

export interface CelViolation {
  readonly path: string;
  readonly message: string;
}

/**
 * Evaluates every x-kubernetes-validations rule on the object the way the API server
 * does at create time: transition rules (those using oldSelf) do not apply to a create.
 */
export function checkCelRules(schema: Schema, value: unknown, path = '', out: CelViolation[] = []): CelViolation[] {
  if (value === undefined) return out;
  const rules = schema['x-kubernetes-validations'] as Array<{ rule: string; message?: string }> | undefined;
  if (rules) {
    for (const r of rules) {
      if (/\boldSelf\b/.test(r.rule)) continue;
      const p = program(r.rule);
      if (p instanceof Error) {
        out.push({ path: path || '/', message: `CEL rule cannot be compiled: ${r.rule}` });
        continue;
      }
      const result = p({ self: toCel(value) });
      if (result !== true) {
        const why = isCelError(result) ? ` (${(result as { message?: string }).message ?? 'evaluation error'})` : '';
        out.push({ path: path || '/', message: `${r.message ?? `failed rule: ${r.rule}`}${why}` });
      }
    }
  }
  if (Array.isArray(value)) {
    const items = schema['items'] as Schema | undefined;
    if (items) value.forEach((v, i) => checkCelRules(items, v, `${path}/${i}`, out));
  } else if (value !== null && typeof value === 'object') {
    const props = (schema['properties'] as Record<string, Schema>) ?? {};
    const extra = schema['additionalProperties'];
    for (const [k, v] of Object.entries(value)) {
      const s = props[k] ?? (typeof extra === 'object' ? (extra as Schema) : undefined);
      if (s) checkCelRules(s, v, `${path}/${k}`, out);
    }
  }
  return out;
}

/**
 * Evaluates the transition rules (those using oldSelf) the API server runs on an update from `before` to
 * `after`: only where both values exist, and inside lists only for correlatable items (listType map, matched
 * by their keys), as apiextensions-apiserver does. Immutable fields (`self == oldSelf`) fail here.
 */
export function checkTransitionRules(schema: Schema, before: unknown, after: unknown, path = '', out: CelViolation[] = []): CelViolation[] {
  if (before === undefined || after === undefined) return out;
  const rules = schema['x-kubernetes-validations'] as Array<{ rule: string; message?: string }> | undefined;
  for (const r of rules ?? []) {
    if (!/\boldSelf\b/.test(r.rule)) continue;
    const p = program(r.rule);
    if (p instanceof Error) continue; // reported at create time
    const result = p({ self: toCel(after), oldSelf: toCel(before) });
    if (result !== true) out.push({ path: path || '/', message: r.message ?? `failed rule: ${r.rule}` });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const items = schema['items'] as Schema | undefined;
    const keys = schema['x-kubernetes-list-map-keys'] as string[] | undefined;
    if (!items || schema['x-kubernetes-list-type'] !== 'map' || !keys) return out;
    const keyOf = (v: unknown) => JSON.stringify(keys.map((k) => (v as Record<string, unknown> | null)?.[k]));
    const old = new Map(before.map((v) => [keyOf(v), v] as const));
    after.forEach((v, i) => checkTransitionRules(items, old.get(keyOf(v)), v, `${path}/${i}`, out));
  } else if (before !== null && after !== null && typeof before === 'object' && typeof after === 'object') {
    const props = (schema['properties'] as Record<string, Schema>) ?? {};
    const extra = schema['additionalProperties'];
    for (const [k, v] of Object.entries(after)) {
      const s = props[k] ?? (typeof extra === 'object' ? (extra as Schema) : undefined);
      if (s) checkTransitionRules(s, (before as Record<string, unknown>)[k], v, `${path}/${k}`, out);
    }
  }
  return out;
}
