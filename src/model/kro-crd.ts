import type { JsonObject, KroGraphModel, KubeObject, ServiceResourceModel } from './mesh.js';

/**
 * The CRD kro derives from a graph's SimpleSchema (kubernetes-sigs/kro v0.9.3: pkg/graph/crd/crd.go SynthesizeCRD,
 * pkg/simpleschema/transform.go and markers.go), for what p2c needs of it: the kind's names, versions and the spec's
 * contract (types, required fields, defaults, enums, bounds). The status schema is kro's inference from the graph's
 * CEL expressions, which p2c does not repeat: it is left open.
 */

type Schema = JsonObject;
const atomic: Record<string, string> = { string: 'string', integer: 'integer', boolean: 'boolean', float: 'number' };

/** gobuffalo/flect's common English plurals, as kro names the CRD (`<plural of the lower-case kind>.<group>`). */
export function kroPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** `integer | default=1 required=true description="a b"` → the type and its markers. */
function parseField(text: string): { type: string; markers: Array<[string, string]> } {
  const bar = text.indexOf('|');
  const type = (bar < 0 ? text : text.slice(0, bar)).trim();
  const markers: Array<[string, string]> = [];
  const rest = bar < 0 ? '' : text.slice(bar + 1);
  const re = /([A-Za-z]+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(rest); m; m = re.exec(rest)) markers.push([m[1]!, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!]);
  return { type, markers };
}

function typeSchema(type: string, types: JsonObject, seen: ReadonlySet<string>): Schema {
  if (atomic[type]) return { type: atomic[type] };
  if (type === 'object') return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  if (type.startsWith('[]')) return { type: 'array', items: typeSchema(type.slice(2).trim(), types, seen) };
  const map = /^map\[string\](.+)$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1]!.trim(), types, seen) };
  const custom = types[type];
  if (custom !== undefined && !seen.has(type)) {
    const inner = new Set(seen).add(type);
    return typeof custom === 'string' ? fieldSchema(custom, types, inner).schema : objectSchema(custom as JsonObject, types, inner);
  }
  // Unknown to p2c: leave it open rather than refuse what kro may accept.
  return { 'x-kubernetes-preserve-unknown-fields': true };
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

function fieldSchema(text: string, types: JsonObject, seen: ReadonlySet<string>): { schema: Schema; required: boolean } {
  const { type, markers } = parseField(text);
  const schema: Schema = { ...typeSchema(type, types, seen) };
  let required = false;
  for (const [key, value] of markers) {
    if (key === 'required') required = value === 'true';
    else if (key === 'default') schema['default'] = markerValue(schema, value);
    else if (key === 'description') schema['description'] = value;
    else if (key === 'enum') schema['enum'] = value.split(',').map((v) => markerValue(schema, v.trim()));
    else if (key === 'minimum' || key === 'maximum') schema[key] = Number(value);
    else if (key === 'minLength' || key === 'maxLength' || key === 'minItems' || key === 'maxItems') schema[key] = Number(value);
    else if (key === 'pattern') schema['pattern'] = value;
    else if (key === 'uniqueItems') schema['uniqueItems'] = value === 'true';
  }
  return { schema, required };
}

function objectSchema(spec: JsonObject, types: JsonObject, seen: ReadonlySet<string>): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  let childHasDefault = false;
  for (const [name, value] of Object.entries(spec)) {
    if (typeof value === 'string') {
      const f = fieldSchema(value, types, seen);
      properties[name] = f.schema;
      if (f.required) required.push(name);
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      properties[name] = objectSchema(value as JsonObject, types, seen);
    }
    if (properties[name] && 'default' in properties[name]!) childHasDefault = true;
  }
  // transform.go buildSchema: an object with defaulted children and nothing required defaults to {}.
  return { type: 'object', properties, ...(required.length ? { required: required.sort() } : {}), ...(required.length === 0 && childHasDefault ? { default: {} } : {}) };
}

/** The CRD kro creates for a graph's kind. */
export function graphCrd(graph: Pick<KroGraphModel, 'schema'>): KubeObject {
  const { group, apiVersion, kind, spec, types } = graph.schema;
  const plural = kroPlural(kind);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [{
        name: apiVersion, served: true, storage: true, subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
              spec: objectSchema(spec ?? {}, types ?? {}, new Set()),
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
  return { group: graph.schema.group, kind: graph.schema.kind, plural: kroPlural(graph.schema.kind), scope: 'Namespaced', versions: [graph.schema.apiVersion], hasStatus: true, crd };
}
