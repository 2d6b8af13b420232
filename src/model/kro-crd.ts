import type { JsonObject, KroGraphModel, KubeObject, ServiceResourceModel } from './mesh.js';

/**
 * The CRD kro derives from a graph's SimpleSchema (kubernetes-sigs/kro v0.9.3: pkg/graph/crd/crd.go SynthesizeCRD,
 * pkg/simpleschema/transform.go and markers.go), for what p2c needs of it: the kind's names, versions and the spec's
 * contract (types, required fields, defaults, enums, bounds). The status schema is kro's inference from the graph's
 * CEL expressions, which p2c does not repeat: it is left open.
 */

type Schema = JsonObject;
const atomic: Record<string, string> = { string: 'string', integer: 'integer', boolean: 'boolean', float: 'number' };

/**
 * English plurals as gobuffalo/flect v1.0.3 (kro's) forms them for kind names: a few irregular words, then the first
 * matching suffix rule (a word already ending in a rule's plural form stays), then a word ending in `s` stays, else
 * `s` is added. The rule families, most specific first: -f/-fe → -ves, consonant -y → -ies, Latin -um → -a, -trix,
 * Greek -sis → -ses, -us, sibilants, -o.
 */
const irregular: Readonly<Record<string, string>> = {
  person: 'people', child: 'children', man: 'men', woman: 'women', mouse: 'mice', foot: 'feet', tooth: 'teeth',
  index: 'indices', matrix: 'matrices', vertex: 'vertices', datum: 'data', criterion: 'criteria', status: 'statuses',
};
const suffixRules: ReadonlyArray<readonly [string, string]> = [
  ['tive', 'tives'], ['eaf', 'eaves'], ['oaf', 'oaves'], ['afe', 'aves'], ['arf', 'arves'], ['rfe', 'rves'], ['rf', 'rves'], ['lf', 'lves'], ['fe', 'ves'],
  ['ay', 'ays'], ['ey', 'eys'], ['oy', 'oys'], ['quy', 'quies'], ['uy', 'uys'], ['y', 'ies'],
  ['eau', 'eaux'],
  ['ium', 'ia'], ['seum', 'seums'], ['eum', 'ea'], ['dum', 'da'], ['imum', 'ima'], ['atum', 'ata'], ['trum', 'tra'], ['ctum', 'cta'],
  ['trix', 'trices'],
  ['iasis', 'iases'], ['mesis', 'meses'], ['resis', 'reses'], ['gnosis', 'gnoses'], ['opsis', 'opses'], ['ysis', 'yses'],
  ['ouse', 'ouses'], ['lause', 'lauses'], ['us', 'uses'],
  ['ch', 'ches'], ['io', 'ios'], ['sh', 'shes'], ['ss', 'sses'], ['ez', 'ezzes'], ['iz', 'izzes'], ['tz', 'tzes'], ['zz', 'zzes'],
  ['ano', 'anos'], ['lo', 'los'], ['to', 'tos'], ['oo', 'oos'], ['o', 'oes'], ['x', 'xes'],
];

export function kroPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (irregular[k]) return irregular[k]!;
  if (Object.values(irregular).includes(k)) return k;
  for (const [singular, plural] of suffixRules) {
    if (k.endsWith(plural)) return k;
    if (k.endsWith(singular)) return k.slice(0, k.length - singular.length) + plural;
  }
  return k.endsWith('s') ? k : `${k}s`;
}

/**
 * `integer | default=1 required=true description="a b"` → the type and its markers. As kro's ParseMarkers: a value is
 * quoted (only `\"` and `\\` are escapes) or runs to the next space outside `{…}` and `[…]`.
 */
function parseField(text: string): { type: string; markers: Array<[string, string]> } {
  const bar = text.indexOf('|');
  const type = (bar < 0 ? text : text.slice(0, bar)).trim();
  const markers: Array<[string, string]> = [];
  const rest = bar < 0 ? '' : text.slice(bar + 1);
  let i = 0;
  while (i < rest.length) {
    while (rest[i] === ' ') i++;
    const eq = rest.indexOf('=', i);
    if (eq < 0) break;
    const key = rest.slice(i, eq).trim();
    i = eq + 1;
    let value = '';
    if (rest[i] === '"') {
      for (i++; i < rest.length && rest[i] !== '"'; i++) {
        if (rest[i] === '\\' && (rest[i + 1] === '"' || rest[i + 1] === '\\')) i++;
        value += rest[i];
      }
      i++;
    } else {
      let depth = 0;
      for (; i < rest.length && (depth > 0 || rest[i] !== ' '); i++) {
        if (rest[i] === '{' || rest[i] === '[') depth++;
        if (rest[i] === '}' || rest[i] === ']') depth--;
        value += rest[i];
      }
    }
    if (key) markers.push([key, value]);
  }
  return { type, markers };
}

/** What a conversion reads and where it reports what kro would refuse (its path, `spec.port`, and why). */
interface Context {
  readonly types: JsonObject;
  readonly problems: string[];
  /** Each custom type converted once: a chain of aliases must not double the work at every link. */
  readonly converted: Map<string, { schema: Schema; required: boolean }>;
}

const knownMarkers = new Set(['required', 'default', 'description', 'minimum', 'maximum', 'validation', 'enum', 'immutable',
  'pattern', 'uniqueItems', 'minLength', 'maxLength', 'minItems', 'maxItems', 'listType', 'listMapKey']);

function typeSchema(type: string, ctx: Context, seen: ReadonlySet<string>, path: string): Schema {
  if (atomic[type]) return { type: atomic[type] };
  if (type === 'object') return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (type.startsWith('[]')) return { type: 'array', items: typeSchema(type.slice(2).trim(), ctx, seen, path) };
  const map = /^map\[string\](.+)$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!.trim(), ctx, seen, path) };
  if (ctx.types[type] !== undefined) {
    const custom = customType(type, ctx, seen, path);
    return custom ? { ...custom.schema } : { 'x-kubernetes-preserve-unknown-fields': true };
  }
  ctx.problems.push(`${path}: unknown type '${type}' (string, integer, boolean, float, object, []T, map[string]T or one of types)`);
  return { 'x-kubernetes-preserve-unknown-fields': true };
}

/** A custom type's schema and whether it is required where used (transform.go buildCustomTypeSchema), once per type. */
function customType(type: string, ctx: Context, seen: ReadonlySet<string>, path: string): { schema: Schema; required: boolean } | undefined {
  const known = ctx.converted.get(type);
  if (known) return known;
  // kro orders custom types by their dependencies and refuses a cycle (transform.go loadCustomTypes).
  if (seen.has(type)) {
    ctx.problems.push(`${path}: type ${type} refers to itself`);
    return undefined;
  }
  const custom = ctx.types[type];
  const inner = new Set(seen).add(type);
  const done = typeof custom === 'string' ? fieldSchema(custom, ctx, inner, `types.${type}`) : { schema: objectSchema(custom as JsonObject, ctx, inner, `types.${type}`), required: false };
  ctx.converted.set(type, done);
  return done;
}

function markerValue(schema: Schema, raw: string): unknown {
  const t = schema['type'];
  if (t === 'integer' || t === 'number') return Number(raw);
  if (t === 'boolean') return raw === 'true';
  if (t === 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** What kro's marker functions refuse (pkg/simpleschema/markers.go apply*Marker), for one marker on one schema. */
function markerProblem(key: string, value: string, type: unknown): string | undefined {
  const isBool = value === 'true' || value === 'false';
  const isInt = /^-?\d+$/.test(value);
  const isNumber = value.trim() !== '' && !Number.isNaN(Number(value));
  if (!knownMarkers.has(key)) return `unknown marker '${key}'`;
  if ((key === 'required' || key === 'immutable' || key === 'uniqueItems') && !isBool) return `${key} must be true or false, not '${value}'`;
  if (key === 'default' && type === 'integer' && !isInt) return `default must be an integer, not '${value}'`;
  if (key === 'default' && type === 'number' && !isNumber) return `default must be a number, not '${value}'`;
  if (key === 'default' && type === 'boolean' && !isBool) return `default must be true or false, not '${value}'`;
  if ((key === 'minimum' || key === 'maximum') && !isNumber) return `${key} must be a number, not '${value}'`;
  if (key === 'enum') {
    if (type !== 'string' && type !== 'integer') return `enum is only for string and integer fields, not ${String(type ?? 'untyped')}`;
    const values = value.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) return 'enum has an empty value';
    if (type === 'integer' && values.some((v) => !/^-?\d+$/.test(v))) return `enum values of an integer field must be integers: '${value}'`;
  }
  if ((key === 'minLength' || key === 'maxLength' || key === 'pattern') && type !== 'string') return `${key} is only for string fields, not ${String(type ?? 'untyped')}`;
  if ((key === 'minLength' || key === 'maxLength' || key === 'minItems' || key === 'maxItems') && !isInt) return `${key} must be an integer, not '${value}'`;
  if (key === 'pattern' && value === '') return 'pattern cannot be empty';
  if (key === 'validation' && value.trim() === '') return 'validation cannot be empty';
  if ((key === 'uniqueItems' || key === 'minItems' || key === 'maxItems' || key === 'listType' || key === 'listMapKey') && type !== 'array') return `${key} is only for list fields, not ${String(type ?? 'untyped')}`;
  if (key === 'listType' && !['atomic', 'set', 'map'].includes(value)) return `listType must be atomic, set or map, not '${value}'`;
  return undefined;
}

function fieldSchema(text: string, ctx: Context, seen: ReadonlySet<string>, path: string): { schema: Schema; required: boolean } {
  const { type, markers } = parseField(text);
  const schema: Schema = { ...typeSchema(type, ctx, seen, path) };
  // A field of a custom type declared `required=true` is required wherever it is used (transform.go IsRequired).
  let required = ctx.types[type] !== undefined && (ctx.converted.get(type)?.required ?? false);
  const rules = (): JsonObject[] => (schema['x-kubernetes-validations'] ??= []) as JsonObject[];
  for (const [key, value] of markers) {
    const problem = markerProblem(key, value, schema['type']);
    if (problem) {
      ctx.problems.push(`${path}: ${problem}`);
      continue;
    }
    if (key === 'required') required = value === 'true';
    else if (key === 'default') schema['default'] = markerValue(schema, value);
    else if (key === 'description') schema['description'] = value;
    else if (key === 'enum') schema['enum'] = value.split(',').map((v) => markerValue(schema, v.trim()));
    else if (key === 'minimum' || key === 'maximum') schema[key] = Number(value);
    else if (key === 'minLength' || key === 'maxLength' || key === 'minItems' || key === 'maxItems') schema[key] = Number(value);
    else if (key === 'pattern') schema['pattern'] = value;
    // markers.go: unique items make a set list; kro never writes uniqueItems, which the API server refuses.
    else if (key === 'uniqueItems' && value === 'true') schema['x-kubernetes-list-type'] = 'set';
    else if (key === 'listType') schema['x-kubernetes-list-type'] = value;
    else if (key === 'listMapKey') schema['x-kubernetes-list-map-keys'] = [...((schema['x-kubernetes-list-map-keys'] as string[] | undefined) ?? []), value];
    else if (key === 'validation') rules().push({ rule: value, message: 'validation failed' });
    else if (key === 'immutable' && value === 'true') rules().push({ rule: 'self == oldSelf', message: 'field is immutable' });
  }
  return { schema, required };
}

function objectSchema(spec: JsonObject, ctx: Context, seen: ReadonlySet<string>, path: string): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  let childHasDefault = false;
  for (const [name, value] of Object.entries(spec)) {
    if (typeof value === 'string') {
      const f = fieldSchema(value, ctx, seen, `${path}.${name}`);
      properties[name] = f.schema;
      if (f.required) required.push(name);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      properties[name] = objectSchema(value as JsonObject, ctx, seen, `${path}.${name}`);
    }
    if (properties[name] && 'default' in properties[name]!) childHasDefault = true;
  }
  // transform.go buildSchema: an object with defaulted children and nothing required defaults to {}.
  return { type: 'object', properties, ...(required.length ? { required: required.sort() } : {}), ...(required.length === 0 && childHasDefault ? { default: {} } : {}) };
}

/** What kro would refuse in a graph's SimpleSchema spec and types, each as `path: why`. */
export function simpleSchemaProblems(graph: Pick<KroGraphModel, 'schema'>): string[] {
  const ctx: Context = { types: graph.schema.types ?? {}, problems: [], converted: new Map() };
  objectSchema(graph.schema.spec ?? {}, ctx, new Set(), 'spec');
  // Types no field uses are still kro's to convert, and to refuse.
  for (const name of Object.keys(ctx.types)) customType(name, ctx, new Set(), `types.${name}`);
  return ctx.problems;
}

/** The CRD kro creates for a graph's kind. */
/** kro's columns when the graph names none (pkg/graph/crd/defaults.go). */
const defaultPrinterColumns = [
  { name: 'State', description: 'The state of a ResourceGraphDefinition instance', priority: 0, type: 'string', jsonPath: '.status.state' },
  { name: 'Ready', description: 'Whether a ResourceGraphDefinition instance is ready', priority: 0, type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
  { name: 'Age', description: 'Age of the resource', priority: 0, type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

export function graphCrd(graph: Pick<KroGraphModel, 'schema'>): KubeObject {
  const { group, apiVersion, kind, spec, types } = graph.schema;
  const scope = graph.schema.scope ?? 'Namespaced';
  const plural = kroPlural(kind);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope,
      versions: [{
        name: apiVersion, served: true, storage: true, subresources: { status: {} }, additionalPrinterColumns: defaultPrinterColumns,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
              spec: objectSchema(spec ?? {}, { types: types ?? {}, problems: [], converted: new Map() }, new Set(), 'spec'),
              status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        },
      }],
    },
  };
}

/** The graph's kind as a served resource, e.g. for a kube-bind offer of it. */
export function graphResource(graph: Pick<KroGraphModel, 'schema'>): ServiceResourceModel {
  const crd = graphCrd(graph);
  return { group: graph.schema.group, kind: graph.schema.kind, plural: kroPlural(graph.schema.kind), scope: graph.schema.scope ?? 'Namespaced', versions: [graph.schema.apiVersion], hasStatus: true, crd };
}
