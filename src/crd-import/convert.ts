/**
 * Turns a CRD's OpenAPI v3 schema into a JSON Schema ajv can run, keeping structure and
 * validation rules (including x-kubernetes-validations) and dropping descriptions.
 *
 * `status` is kept as an opaque object: p2c never writes status. One deliberate tightening: an object with declared properties and no
 * x-kubernetes-preserve-unknown-fields gets `additionalProperties: false`. The API server
 * would silently prune such fields; for a compiler that is a bug to report.
 */

type Schema = { [key: string]: unknown };

const dropped = new Set(['description', 'example', 'externalDocs', 'title']);
const subdomain = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

function convertNode(node: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (dropped.has(key)) continue;
    if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, convertNode(v)]));
    } else if (key === 'items' || key === 'not') {
      out[key] = convertNode(value as Schema);
    } else if (key === 'additionalProperties') {
      out[key] = typeof value === 'boolean' ? value : convertNode(value as Schema);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = (value as Schema[]).map(convertNode);
    } else if (key === 'x-kubernetes-validations') {
      out[key] = (value as Schema[]).map(({ rule, message, messageExpression, reason, fieldPath, optionalOldSelf }) =>
        Object.fromEntries(Object.entries({ rule, message, messageExpression, reason, fieldPath, optionalOldSelf }).filter(([, v]) => v !== undefined)));
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out['type'];
    out['anyOf'] = [...((out['anyOf'] as Schema[] | undefined) ?? []), { type: 'integer' }, { type: 'string' }];
    if ((out['anyOf'] as Schema[]).length > 2) out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out['type'] === 'object' && out['properties'] && out['additionalProperties'] === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** ObjectMeta as the API server checks it for custom resources, merged with the CRD's own. */
function withObjectMeta(root: Schema): Schema {
  const props = { ...((root['properties'] as Record<string, Schema>) ?? {}) };
  const meta = (props['metadata'] as Schema) ?? {};
  const metaProps = (meta['properties'] as Record<string, Schema>) ?? {};
  props['metadata'] = {
    ...meta,
    type: 'object',
    required: ['name'],
    properties: {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      namespace: { type: 'string' },
      ...metaProps,
      name: { type: 'string', maxLength: 253, pattern: subdomain, ...(metaProps['name'] ?? {}) },
    },
  };
  return { ...root, properties: props };
}

export interface ImportedVersion {
  readonly apiVersion: string;
  readonly kind: string;
  readonly scope: string;
  readonly schema: Schema;
}

export interface CrdDocument {
  spec: { group: string; names: { kind: string }; scope: string; versions: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }> };
}

export function convertCrd(crd: CrdDocument): ImportedVersion[] {
  return crd.spec.versions
    .filter((v) => v.schema?.openAPIV3Schema)
    .map((v) => {
      const apiVersion = `${crd.spec.group}/${v.name}`;
      const root = withObjectMeta(convertNode(v.schema!.openAPIV3Schema!));
      const props = root['properties'] as Record<string, Schema>;
      // Controllers write status, never a manifest: keeping its (often huge) schema would only
      // slow validation down. It stays an object.
      if (props['status']) props['status'] = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      props['apiVersion'] = { type: 'string', const: apiVersion };
      props['kind'] = { type: 'string', const: crd.spec.names.kind };
      const required = new Set([...((root['required'] as string[]) ?? []), 'apiVersion', 'kind', 'metadata']);
      return { apiVersion, kind: crd.spec.names.kind, scope: crd.spec.scope, schema: { ...root, required: [...required] } };
    });
}
