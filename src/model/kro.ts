import type { JsonObject, KroGraphModel, KroResourceModel } from './mesh.js';
import { groupOf, append } from './collections.js';

/** The group and kind a KRO resource creates or reads. */
export function templateKind(r: KroResourceModel): { group: string; kind: string; apiVersion: string } | undefined {
  const o = (r.template ?? r.externalRef) as { apiVersion?: unknown; kind?: unknown } | undefined;
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return undefined;
  return { group: groupOf(o.apiVersion), kind: o.kind, apiVersion: o.apiVersion };
}

/**
 * The `${…}` expressions in a string, found as kro finds them (kro v0.9.3 `pkg/graph/parser/cel.go`
 * extractExpressions): braces are matched and quoted strings skipped, so `${json.marshal({"a": b})}` is one.
 */
export function expressionsIn(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i)) {
    let depth = 1;
    let j = i + 2;
    for (let quote = ''; j < text.length && depth > 0; j++) {
      const c = text[j]!;
      if (quote) {
        if (c === '\\') j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth > 0) break;
    out.push(text.slice(i + 2, j - 1));
    i = j;
  }
  return out;
}

/** A value that is one expression and nothing else: kro gives the field the expression's own type. */
export function standaloneExpression(text: string): string | undefined {
  const found = expressionsIn(text);
  return found.length === 1 && text === `\${${found[0]}}` ? found[0] : undefined;
}

/** Every expression in a JSON value (a template, a list of conditions). */
export function expressionsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') append(out, expressionsIn(value));
  else if (Array.isArray(value)) value.forEach((v) => expressionsOf(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => expressionsOf(v, out));
  return out;
}

// CEL words that are not names, and macros whose first arguments bind variables (`list.map(x, x.name)`).
const keywords = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const binders = /\.\s*(?:map|filter|exists|exists_one|existsOne|all|sortBy|transformList|transformMap|transformMapEntry)\s*\(\s*([A-Za-z_]\w*)\s*,(?:\s*([A-Za-z_]\w*)\s*,)?/g;
const cleanStrings = (expression: string) => expression.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');

/**
 * Names an expression reads at top level (`postgres.status.endpoint` → postgres, `has(db.spec)` → db, `${zone}` →
 * zone). Not names: members after a dot (including kro's optional access `a.?b`, `a?.b`), functions called by
 * name (`string(x)`), CEL keywords, string literals, and variables a macro binds (`list.map(x, x.name)`).
 */
export function referencedNames(expression: string): string[] {
  const code = cleanStrings(expression).replace(/\.\?|\?\./g, '.');
  const bound = new Set<string>();
  for (const m of code.matchAll(binders)) for (const v of [m[1], m[2]]) if (v) bound.add(v);
  for (const m of code.matchAll(/\bcel\.bind\(\s*([A-Za-z_]\w*)/g)) bound.add(m[1]!);
  const names = new Set<string>();
  for (const m of code.matchAll(/(?<![\w.$"])([A-Za-z_]\w*)(?!\w)(?!\s*\()/g)) {
    const name = m[1]!;
    // A map literal's identifier key (`{a: 1}`) is not CEL; numbers like 1e3 never match (they start with a digit).
    if (!keywords.has(name) && !bound.has(name)) names.add(name);
  }
  return [...names];
}

/** `schema.spec.a.b` chains an expression reads: kro type-checks them against the graph's own schema. */
export function schemaSpecPaths(expression: string): string[][] {
  const code = cleanStrings(expression).replace(/\.\?|\?\./g, '.');
  return [...code.matchAll(/(?<![\w.])schema\s*\.\s*spec((?:\s*\.\s*[A-Za-z_]\w*)+)/g)].map((m) => m[1]!.split('.').map((s) => s.trim()).filter(Boolean));
}

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

const simpleTypes: Record<string, JsonType> = { string: 'string', integer: 'integer', boolean: 'boolean', number: 'number', float: 'number', object: 'object' };

/** The type a SimpleSchema field declares: `integer | default=1` → integer, `[]string` → array, `map[string]x` → object. */
function simpleSchemaType(declaration: string, types: JsonObject | undefined): JsonType | 'unknown' {
  const head = declaration.split('|')[0]!.trim();
  if (head.startsWith('[]')) return 'array';
  if (head.startsWith('map[')) return 'object';
  if (simpleTypes[head]) return simpleTypes[head]!;
  return types && head in types ? 'object' : 'unknown';
}

/**
 * What a `schema.spec…` path is in a graph's SimpleSchema: a JSON type, `unknown` where p2c cannot tell (a custom
 * type, a map's values), or `missing` when the schema declares no such field.
 */
export function simpleSchemaField(graph: Pick<KroGraphModel, 'schema'>, path: readonly string[]): JsonType | 'unknown' | 'missing' {
  let node: unknown = graph.schema.spec ?? {};
  for (let i = 0; i < path.length; i++) {
    // A field of a custom type reads on in `types`; a map's keys or a list's items are not known by name.
    if (typeof node === 'string') {
      const head = node.split('|')[0]!.trim();
      const custom = graph.schema.types?.[head];
      if (!custom || typeof custom !== 'object') return 'unknown';
      node = custom;
    }
    if (!node || typeof node !== 'object' || Array.isArray(node)) return 'unknown';
    const next = (node as JsonObject)[path[i]!];
    if (next === undefined) return 'missing';
    node = next;
  }
  if (typeof node === 'string') return simpleSchemaType(node, graph.schema.types);
  return node && typeof node === 'object' ? 'object' : 'unknown';
}

/** The type a standalone expression certainly has, where p2c can tell as kro would: literals and schema fields. */
export function expressionType(graph: Pick<KroGraphModel, 'schema'>, expression: string): JsonType | undefined {
  const e = expression.trim();
  if (/^(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")$/.test(e)) return 'string';
  if (/^-?\d+$/.test(e)) return 'integer';
  if (/^-?\d+\.\d+$/.test(e)) return 'number';
  if (e === 'true' || e === 'false') return 'boolean';
  if (/^schema\.metadata\.(?:name|namespace)$/.test(e)) return 'string';
  const m = /^schema\.spec((?:\.[A-Za-z_]\w*)+)$/.exec(e);
  if (m) {
    const t = simpleSchemaField(graph, m[1]!.split('.').filter(Boolean));
    return t === 'unknown' || t === 'missing' ? undefined : t;
  }
  return undefined;
}
