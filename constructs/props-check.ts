import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { packageRoot } from '../src/package-info.js';
import { closest } from '../src/model/closest.js';

/** A props problem, said in the words of the construct's props, not of JSON Schema. */
export interface PropsProblem {
  readonly message: string;
  readonly hint?: string;
}

type Schema = { [keyword: string]: unknown };
interface PropsSchemas {
  readonly constructs: Record<string, Schema>;
  readonly definitions: Record<string, Schema>;
}

let compiled: { schemas: PropsSchemas; ajv: Ajv; validators: Map<string, ValidateFunction> } | undefined;

/** Whether `value` is an instance of the class named `name` (or of a subclass), by the class names on its chain. */
function isInstanceOf(value: unknown, name: string): boolean {
  for (let p = value === null || typeof value !== 'object' ? null : Object.getPrototypeOf(value); p; p = Object.getPrototypeOf(p)) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return false;
}

function validatorFor(className: string): ValidateFunction | undefined {
  if (!compiled) {
    // schemas/props.json is made from constructs/*.ts by `npm run props-schemas` (src/typegen/props-schema.ts).
    const schemas = JSON.parse(fs.readFileSync(path.join(packageRoot, 'schemas', 'props.json'), 'utf8')) as PropsSchemas;
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
    ajv.addKeyword({ keyword: 'instanceOf', schemaType: 'string', errors: true, validate: (name: string, data: unknown) => isInstanceOf(data, name) });
    ajv.addSchema({ $id: 'p2c-props', definitions: schemas.definitions });
    compiled = { schemas, ajv, validators: new Map() };
  }
  const schema = compiled.schemas.constructs[className];
  if (!schema) return undefined;
  let v = compiled.validators.get(className);
  if (!v) {
    v = compiled.ajv.compile({ ...rebase(schema) });
    compiled.validators.set(className, v);
  }
  return v;
}

/** `#/definitions/X` in a construct's schema points into the shared definitions. */
function rebase(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"p2c-props#/definitions/')) as Schema;
}

const article = (word: string) => (/^[AEIOU]/i.test(word) ? `an ${word}` : `a ${word}`);

/** How a schema reads to a person: "a string", "a ComputeCluster", "'Namespaced' or 'Cluster'". */
function describe(schema: Schema | undefined): string {
  if (!schema) return 'something else';
  if (typeof schema['instanceOf'] === 'string') return article(schema['instanceOf']);
  if (typeof schema['$ref'] === 'string') return article(`${schema['$ref'].split('/').pop()} object`);
  if ('const' in schema) return JSON.stringify(schema['const']).replaceAll('"', "'");
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).map((e) => JSON.stringify(e).replaceAll('"', "'")).join(' or ');
  if (Array.isArray(schema['anyOf'])) return (schema['anyOf'] as Schema[]).map(describe).join(' or ');
  switch (schema['type']) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'array': return 'a list';
    case 'object': return 'an object';
    default: return 'something else';
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? article(name) : 'an object';
  }
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 40) + '…' : value}'`;
  return `${typeof value} ${String(value)}`;
}

/** `kcp.frontProxyUrl`, `related[0].reference`: the place in the props, as the user wrote it. */
function placeOf(instancePath: string, property?: string): string {
  const steps = instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`));
  if (property !== undefined) steps.push(`.${property}`);
  return steps.join('').replace(/^\./, '') || 'props';
}

/** Every problem with a construct's props at once, in props' words; none for a class without a props schema. */
export function checkProps(className: string, props: unknown): PropsProblem[] {
  const validate = validatorFor(className);
  if (!validate) return [];
  if (props === undefined) props = {};
  if (validate(props)) return [];
  const errors = validate.errors ?? [];
  // A failed anyOf reports each branch's failure too: say only "must be A or B" for that place.
  const anyOfPlaces = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  // (A branch behind a $ref reports with the referenced schema's path, so the place decides, not the schema path.)
  const shown = errors.filter((e) => e.keyword === 'anyOf' || !anyOfPlaces.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)));
  const seen = new Set<string>();
  return shown.flatMap((e) => {
    const problem = say(e);
    const key = `${problem.message}\0${problem.hint ?? ''}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [problem];
  });
}

function say(e: ErrorObject): PropsProblem {
  const parent = e.parentSchema as Schema | undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent?.['properties'] as Schema | undefined) ?? {});
      const guess = closest(name, known);
      return {
        message: `unknown property '${placeOf(e.instancePath, name)}'`,
        hint: guess ? `did you mean '${guess}'?` : `known properties here: ${known.join(', ') || 'none'}`,
      };
    }
    case 'required': {
      const name = (e.params as { missingProperty: string }).missingProperty;
      return { message: `missing required property '${placeOf(e.instancePath, name)}'`, hint: `give '${name}'` };
    }
    default:
      return { message: `'${placeOf(e.instancePath)}' must be ${describe(parent)}, got ${kindOf(e.data)}` };
  }
}
