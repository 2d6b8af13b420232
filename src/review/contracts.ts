import { baseFolderOf, folderTitle } from '../model/target.js';
import { breakingChangeAnnotation } from '../emit/kcp.js';
import { parseAllDocuments } from 'yaml';
import { objectsOf, type Tree } from './tree.js';

/**
 * What changed in a provided API's schema between two outputs, classified as the CRD upgrade-safety rules of
 * operator-framework/operator-controller (internal/operator-controller/rukpak/preflights/crdupgradesafety) do: a
 * change an existing instance or client may not survive is breaking; adding an optional field is not.
 */
export interface ContractChange {
  /** `postgreses.database.example.com`. */
  readonly api: string;
  readonly version?: string;
  /** Where in the schema: `spec.storage`. */
  readonly field?: string;
  readonly rule: string;
  readonly detail: string;
  readonly breaking: boolean;
  /** Workspaces and clusters whose bindings use the API. */
  readonly consumers: readonly string[];
  /** The provider's reason, when it marked the break intended (ServedAPIProps.breakingChange). */
  readonly intended?: string;
}

type Schema = {
  type?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean; required?: string[];
  enum?: unknown[]; default?: unknown; pattern?: string; format?: string; [bound: string]: unknown;
};
interface ApiDefinition { scope: string; versions: Map<string, { served: boolean; storage: boolean; schema?: Schema }> }
type Obj = { kind?: string; apiVersion?: string; metadata?: { name?: string; annotations?: Record<string, string> }; spec?: Record<string, any> };

const definitionKinds = /^kind: (?:CustomResourceDefinition|APIResourceSchema)$/m;

/** The documents of an output that define APIs (CRDs and kcp APIResourceSchemas), as text, unparsed. */
function definitionDocuments(tree: Tree): string[] {
  const out: string[] = [];
  for (const [file, text] of tree) {
    if (!file.endsWith('.yaml') || file.startsWith('.p2c/') || !definitionKinds.test(text)) continue;
    for (const doc of text.split(/^---$/m)) if (definitionKinds.test(doc)) out.push(doc.trim());
  }
  return out;
}

/** The APIs some definition documents define, by `plural.group`. */
function definitions(documents: readonly string[]): Map<string, ApiDefinition> {
  const out = new Map<string, ApiDefinition>();
  for (const text of documents) {
    for (const o of parseAllDocuments(text).map((d) => d.toJS() as Obj | null)) {
      if (!o) continue;
      const crd = o.kind === 'CustomResourceDefinition';
      if (!crd && o.kind !== 'APIResourceSchema') continue;
      const key = `${o.spec?.['names']?.plural}.${o.spec?.['group']}`;
      if (out.has(key)) continue; // the same API in a cluster and in a workspace
      const versions = new Map<string, { served: boolean; storage: boolean; schema?: Schema }>();
      for (const v of (o.spec?.['versions'] ?? []) as Array<{ name: string; served?: boolean; storage?: boolean; schema?: { openAPIV3Schema?: Schema } & Schema }>) {
        const schema = crd ? v.schema?.openAPIV3Schema : (v.schema as Schema | undefined);
        versions.set(v.name, { served: v.served !== false, storage: v.storage === true, ...(schema ? { schema } : {}) });
      }
      out.set(key, { scope: String(o.spec?.['scope'] ?? 'Namespaced'), versions });
    }
  }
  return out;
}

const show = (v: unknown) => JSON.stringify(v);
const lowerBounds = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const upperBounds = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];

/** Every rule a change of one schema node breaks, and the optional fields it adds. */
function compareSchemas(a: Schema, b: Schema, at: string, say: (rule: string, field: string, detail: string, breaking: boolean) => void): void {
  const field = at || '(root)';
  if (a.type && b.type && a.type !== b.type) say('type changed', field, `${a.type} → ${b.type}`, true);
  if (a.enum === undefined && b.enum !== undefined) say('enum added', field, `now only ${b.enum.map(show).join(', ')}`, true);
  if (a.enum && b.enum) {
    const removed = a.enum.filter((x) => !b.enum!.some((y) => show(y) === show(x)));
    if (removed.length) say('enum values removed', field, removed.map(show).join(', '), true);
  }
  if (show(a.default) !== show(b.default)) {
    const rule = a.default === undefined ? 'default added' : b.default === undefined ? 'default removed' : 'default changed';
    say(rule, field, `${show(a.default) ?? '(none)'} → ${show(b.default) ?? '(none)'}`, true);
  }
  for (const bound of lowerBounds) {
    const [x, y] = [a[bound] as number | undefined, b[bound] as number | undefined];
    if (y !== undefined && (x === undefined || y > x)) say(x === undefined ? 'constraint added' : 'minimum raised', field, `${bound} ${x ?? '(none)'} → ${y}`, true);
  }
  for (const bound of upperBounds) {
    const [x, y] = [a[bound] as number | undefined, b[bound] as number | undefined];
    if (y !== undefined && (x === undefined || y < x)) say(x === undefined ? 'constraint added' : 'maximum lowered', field, `${bound} ${x ?? '(none)'} → ${y}`, true);
  }
  for (const c of ['pattern', 'format'] as const) {
    if (b[c] !== undefined && a[c] !== b[c]) say('constraint added', field, `${c} ${show(a[c]) ?? '(none)'} → ${show(b[c])}`, true);
  }
  const required = new Set(a.required ?? []);
  for (const r of b.required ?? []) if (!required.has(r)) say('new required field', at ? `${at}.${r}` : r, 'existing instances without it are refused on their next update', true);
  const [pa, pb] = [a.properties ?? {}, b.properties ?? {}];
  for (const k of Object.keys(pa).sort()) {
    const path = at ? `${at}.${k}` : k;
    if (!(k in pb)) say('field removed', path, 'its values are pruned from every instance', true);
    else compareSchemas(pa[k]!, pb[k]!, path, say);
  }
  for (const k of Object.keys(pb).sort()) if (!(k in pa)) say('field added', at ? `${at}.${k}` : k, 'optional', false);
  if (a.items && b.items) compareSchemas(a.items, b.items, `${at}[]`, say);
  if (typeof a.additionalProperties === 'object' && typeof b.additionalProperties === 'object') compareSchemas(a.additionalProperties, b.additionalProperties, `${at}{}`, say);
}

/** Who uses each API of an output: workspaces binding its export, clusters binding it with kube-bind (one pass). */
function consumersIndex(tree: Tree): (api: string) => { consumers: string[]; intended?: string } {
  const folders = objectsOf(tree, ['APIExport', 'APIBinding', 'APIServiceBinding']);
  // Export name → the provider's word that a break is intended; API (`plural.group`) → the exports serving it.
  const intendedOf = new Map<string, string | undefined>();
  const servedBy = new Map<string, string[]>();
  for (const objects of folders.values()) {
    for (const o of objects.values() as Iterable<Obj>) {
      if (o.kind !== 'APIExport' || !o.metadata?.name) continue;
      intendedOf.set(o.metadata.name, o.metadata.annotations?.[breakingChangeAnnotation]);
      for (const r of (o.spec?.['resources'] ?? []) as Array<{ group?: string; name?: string }>) {
        const api = `${r.name}.${r.group}`;
        (servedBy.get(api) ?? servedBy.set(api, []).get(api)!).push(o.metadata.name);
      }
    }
  }
  const usedBy = new Map<string, Set<string>>();
  for (const [folder, objects] of folders) {
    for (const o of objects.values() as Iterable<Obj>) {
      const name = o.kind === 'APIBinding' ? o.spec?.['reference']?.export?.name : o.kind === 'APIServiceBinding' ? o.metadata?.name : undefined;
      if (name) (usedBy.get(name) ?? usedBy.set(name, new Set()).get(name)!).add(folderTitle(baseFolderOf(folder)));
    }
  }
  return (api) => {
    const group = api.slice(api.indexOf('.') + 1);
    // api-syncagent fills spec.resources itself: its exports are found by name, which defaults to the API group.
    const exports = [...(servedBy.get(api) ?? []), ...(intendedOf.has(group) ? [group] : [])];
    const consumers = new Set<string>();
    for (const name of [...exports, group, api]) for (const f of usedBy.get(name) ?? []) consumers.add(f);
    const intended = exports.map((n) => intendedOf.get(n)).find(Boolean);
    return { consumers: [...consumers].sort(), ...(intended ? { intended } : {}) };
  };
}

export function contractChanges(base: Tree, head: Tree): ContractChange[] {
  let index: ReturnType<typeof consumersIndex> | undefined;
  const consumersOf = (api: string) => (index ??= consumersIndex(head))(api);
  return [...definitionChanges(base, head, consumersOf), ...projectionChanges(base, head, consumersOf)];
}

function definitionChanges(base: Tree, head: Tree, consumersOf: (api: string) => { consumers: string[]; intended?: string }): ContractChange[] {
  // Only documents that differ can hold a change: an unchanged output (every re-synth) parses nothing.
  const [docsA, docsB] = [definitionDocuments(base), definitionDocuments(head)];
  if (docsA.length === 0) return [];
  const [inA, inB] = [new Set(docsA), new Set(docsB)];
  const [a, b] = [definitions(docsA.filter((d) => !inB.has(d))), definitions(docsB.filter((d) => !inA.has(d)))];
  // An API defined twice (a CRD and a schema) may have changed in one document only: the other side's unchanged
  // documents complete it. Only the APIs the other side has: an unchanged document defines its API on both sides,
  // and taken into one side alone it would read as removed from (or added to) the other. The base is often only
  // the files a write replaces, so unchanged documents in a changed file are common (synth's vet).
  const complete = (side: Map<string, ApiDefinition>, other: Map<string, ApiDefinition>, unchanged: () => string[]) => {
    if (![...other.keys()].some((k) => !side.has(k))) return;
    for (const [k, v] of definitions(unchanged())) if (!side.has(k) && other.has(k)) side.set(k, v);
  };
  complete(b, a, () => docsB.filter((d) => inA.has(d)));
  complete(a, b, () => docsA.filter((d) => inB.has(d)));
  const out: ContractChange[] = [];
  for (const [api, before] of [...a].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const after = b.get(api);
    const found: Array<Omit<ContractChange, 'api' | 'consumers' | 'intended'>> = [];
    if (!after) found.push({ rule: 'API removed', detail: 'no CRD or APIResourceSchema defines it any more', breaking: true });
    else {
      if (before.scope !== after.scope) found.push({ rule: 'scope changed', detail: `${before.scope} → ${after.scope}`, breaking: true });
      for (const [version, v] of before.versions) {
        const w = after.versions.get(version);
        if (v.served && !w?.served) found.push({ version, rule: 'version no longer served', detail: `${version} was served`, breaking: true });
        if (v.storage && !w) found.push({ version, rule: 'stored version removed', detail: `objects stored as ${version} can no longer be read`, breaking: true });
        if (v.schema && w?.schema) {
          compareSchemas(v.schema, w.schema, '', (rule, field, detail, breaking) => found.push({ version, field, rule, detail, breaking }));
        }
      }
    }
    if (found.length === 0) continue;
    // Who uses it after the change: an API removed together with its last binding breaks no one.
    const users = consumersOf(api);
    for (const f of found) out.push({ api, ...f, consumers: users.consumers, ...(users.intended ? { intended: users.intended } : {}) });
  }
  return out;
}

const publishedKind = /^kind: PublishedResource$/m;

/** PublishedResources by name → the names kcp serves their kind under (spec.projection), from changed documents only. */
function projections(tree: Tree, skip: ReadonlySet<string>): Map<string, { group: string; projection: string }> {
  const out = new Map<string, { group: string; projection: string }>();
  for (const [file, text] of tree) {
    if (!file.endsWith('.yaml') || !publishedKind.test(text)) continue;
    for (const doc of text.split(/^---$/m)) {
      if (!publishedKind.test(doc) || skip.has(doc.trim())) continue;
      const o = parseAllDocuments(doc)[0]?.toJS() as Obj | undefined;
      const p = (o?.spec?.['projection'] ?? {}) as Record<string, unknown>;
      // What consumers see: group, kind, plural, scope and version names; short names and categories are cosmetic.
      const seen = JSON.stringify([p['group'] ?? '', p['kind'] ?? '', p['plural'] ?? '', p['scope'] ?? '', p['versions'] ?? {}, p['version'] ?? '']);
      if (o?.metadata?.name) out.set(o.metadata.name, { group: String(o.spec?.['resource']?.apiGroup ?? ''), projection: seen });
    }
  }
  return out;
}

/**
 * A changed projection renames what consumers bound: api-syncagent v0.7.0 adds the new schema to the APIExport and keeps
 * the old one (internal/controller/apiexport mergeResourceSchemas), whose objects nothing syncs any more.
 */
function projectionChanges(base: Tree, head: Tree, consumersOf: (api: string) => { consumers: string[]; intended?: string }): ContractChange[] {
  const docs = (t: Tree) => new Set([...t].filter(([f, x]) => f.endsWith('.yaml') && publishedKind.test(x)).flatMap(([, x]) => x.split(/^---$/m).map((d) => d.trim())));
  const [da, db] = [docs(base), docs(head)];
  const a = projections(base, db);
  // Only a projection that was there before can change: a first synth (or one that adds them) parses none of head's.
  if (a.size === 0) return [];
  const b = projections(head, da);
  const out: ContractChange[] = [];
  for (const [name, was] of a) {
    const now = b.get(name);
    if (!now || now.projection === was.projection) continue;
    // api-syncagent exports are found by name, which defaults to the service API's group.
    const users = consumersOf(`published.${was.group}`);
    out.push({ api: name, rule: 'projection changed', detail: 'consumers see another kind or version; their existing objects are no longer synced', breaking: true, consumers: users.consumers, ...(users.intended ? { intended: users.intended } : {}) });
  }
  return out;
}

/** Breaking changes that reach a consumer and that the provider did not mark as intended: what fails CI and synth. */
export const unintended = (changes: readonly ContractChange[]) => changes.filter((c) => c.breaking && !c.intended && c.consumers.length > 0);

export function describeContractChange(c: ContractChange): string {
  const where = [c.version, c.field].filter(Boolean).join(' ');
  const who = c.breaking ? (c.consumers.length ? ` — affects ${c.consumers.join(', ')}` : ' — no consumer binds it') : '';
  const why = c.intended ? ` (intended: ${c.intended})` : '';
  return `${c.api}${where ? ` ${where}` : ''}: ${c.rule} (${c.detail})${who}${why}`;
}
