import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../package-info.js';
import { append } from '../model/collections.js';

/**
 * JSON schemas of the props every p2c construct takes, derived from the TypeScript interfaces in constructs/: what
 * the compiler checks for a TypeScript mesh, p2c checks again at run time for JavaScript meshes and for values only
 * known then. Run by `npm run props-schemas`; a test keeps schemas/props.json equal to what this makes.
 */
export interface PropsSchemas {
  readonly $comment: string;
  /** Construct class name → schema of its constructor's props. */
  readonly constructs: Record<string, Schema>;
  readonly definitions: Record<string, Schema>;
}

export type Schema = { [keyword: string]: unknown };

const checkedWhenLoaded = new Set(['CustomResourceDefinition']);

export const propsSchemaFile = path.join(packageRoot, 'schemas', 'props.json');

export function generatePropsSchemas(root = packageRoot): PropsSchemas {
  const dir = path.join(root, 'constructs');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((f) => path.join(dir, f));
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const definitions: Record<string, Schema> = {};
  const ownFile = (d: ts.Declaration) => path.resolve(d.getSourceFile().fileName).startsWith(dir + path.sep);

  const objectSchema = (type: ts.Type, at: ts.Node): Schema => {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const p of checker.getPropertiesOfType(type)) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const propType = checker.getTypeOfSymbolAtLocation(p, decl ?? at);
      properties[p.name] = schemaOf(checker.getNonNullableType(propType), decl ?? at);
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.name);
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    return {
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: index ? schemaOf(index.type, at) : false,
    };
  };

  const schemaOf = (type: ts.Type, at: ts.Node): Schema => {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (type.flags & ts.TypeFlags.BooleanLike && !(type.flags & ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
    if (type.isStringLiteral() || type.isNumberLiteral()) return { const: type.value };
    if (type.flags & ts.TypeFlags.BooleanLiteral) return { const: checker.typeToString(type) === 'true' };
    if (type.flags & ts.TypeFlags.StringLike) return { type: 'string' };
    if (type.flags & ts.TypeFlags.NumberLike) return { type: 'number' };
    if (type.isUnion()) {
      const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      const literals: ts.Type[] = members.filter((t) => t.isStringLiteral() || t.isNumberLiteral());
      const booleans = members.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
      const rest = members.filter((t) => !literals.includes(t) && !booleans.includes(t));
      const anyOf: Schema[] = [];
      if (literals.length) anyOf.push({ enum: literals.map((t) => (t as ts.LiteralType).value) });
      if (booleans.length === 2) anyOf.push({ type: 'boolean' });
      else append(anyOf, booleans.map((t) => schemaOf(t, at)));
      append(anyOf, rest.map((t) => schemaOf(t, at)));
      return anyOf.length === 1 ? anyOf[0]! : { anyOf };
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const element = checker.getTypeArguments(type as ts.TypeReference)[0];
      return { type: 'array', items: element ? schemaOf(element, at) : {} };
    }
    if (type.getCallSignatures().length) return {};
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const decls = symbol?.declarations ?? [];
    // A construct or other class instance: checked by class name, never walked (a construct holds the whole tree).
    const classDecl = decls.find(ts.isClassDeclaration);
    if (classDecl) return { instanceOf: classDecl.name?.text ?? symbol!.name };
    // An inline CRD's shape is loadCrds's to check (P2C007 names what the document is instead): here, any object.
    if (symbol && checkedWhenLoaded.has(symbol.name)) return { type: 'object' };
    if (type.flags & ts.TypeFlags.Object) {
      // Types from other packages (cdk8s, constructs) are theirs to check.
      if (decls.length && !decls.some(ownFile)) return {};
      const named = decls.some((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) && symbol && symbol.name !== '__type';
      if (!named) return objectSchema(type, at);
      const name = symbol.name;
      if (!(name in definitions)) {
        definitions[name] = {}; // a recursive interface refers to itself
        definitions[name] = objectSchema(type, at);
      }
      return { $ref: `#/definitions/${name}` };
    }
    return {};
  };

  const constructs: Record<string, Schema> = {};
  for (const file of files) {
    const sf = program.getSourceFile(file)!;
    for (const statement of sf.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
      if (statement.modifiers.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) continue;
      const classSymbol = checker.getSymbolAtLocation(statement.name)!;
      // Constructs only: every one has a `node`.
      if (!checker.getDeclaredTypeOfSymbol(classSymbol).getProperty('node')) continue;
      const classType = checker.getTypeOfSymbol(classSymbol);
      const signature = classType.getConstructSignatures()[0];
      // Props come last, as cdk8s has it: (scope, id, props); a Mesh takes only props.
      const props = signature?.getParameters().at(-1);
      if (!props || signature!.getParameters().length === 2) continue;
      const declared = props.valueDeclaration as ts.ParameterDeclaration;
      constructs[statement.name.text] = schemaOf(checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(props, declared)), statement);
    }
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    $comment: 'Generated from the props interfaces in constructs/ by `npm run props-schemas`; do not edit.',
    constructs: sorted(constructs),
    definitions: sorted(definitions),
  };
}

export function formatPropsSchemas(schemas: PropsSchemas): string {
  return JSON.stringify(schemas, null, 1) + '\n';
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  fs.writeFileSync(propsSchemaFile, formatPropsSchemas(generatePropsSchemas()));
  process.stdout.write(`wrote ${path.relative(process.cwd(), propsSchemaFile)}\n`);
}
