import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckId } from '../diagnostics/codes.js';
import { checks } from '../diagnostics/codes.js';
import type { Manifest } from '../emit/manifest.js';
import type { Checked } from './validate.js';
import type { KubeObject } from '../model/mesh.js';
import type { Origin } from '../model/origin.js';
import { describeObject, isKubeObject } from '../model/collections.js';

/**
 * Places where an upstream component really needs "*", named so reviews can see them. RBAC has
 * none: every role p2c writes lists its verbs, resources and groups. The one wildcard p2c emits
 * is not RBAC: api-syncagent writes its APIExport claims as `all: true`, which kcp shows as
 * verbs ["*"]; p2c writes the same so GitOps and the agent agree.
 */
export const wildcardExceptions: readonly { readonly where: string; readonly why: string }[] = [
  { where: 'APIExport spec.permissionClaims[].verbs of exports published by api-syncagent', why: 'the agent writes all: true (v1alpha1), shown as verbs ["*"] in v1alpha2' },
];

/**
 * A documented exception on one object: `<check name>[,<check name>]: why`. It lifts only the RBAC findings it
 * names (rbac-escalation, public-access), never secret-data or a credential finding; it stays in the output,
 * where reviewers see it.
 */
export const exceptionAnnotation = 'p2c.dev/security-exception';
const exceptionChecks: ReadonlySet<CheckId> = new Set(['rbacEscalation', 'publicAccess']);

export function securityException(check: 'rbac-escalation' | 'public-access', why: string): Record<string, string> {
  return { [exceptionAnnotation]: `${check}: ${why}` };
}

function exceptedChecks(o: KubeObject): Set<string> {
  const value = o.metadata?.annotations?.[exceptionAnnotation];
  const m = value === undefined ? null : /^\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*:\s*(\S.*)$/s.exec(value);
  return new Set(m ? m[1]!.split(',').map((s) => s.trim()) : []);
}

type Rule = { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; verbs?: string[]; nonResourceURLs?: string[] };

/** A list field as written; anything else (a `${…}` expression in a template, a typo) reads as empty. */
function list<T = string>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** A rule with every list field a list of strings, whatever the object held. */
function ruleOf(r: unknown): Required<Rule> {
  const x = (r !== null && typeof r === 'object' ? r : {}) as Record<string, unknown>;
  const strings = (v: unknown) => list(v).filter((e): e is string => typeof e === 'string');
  return { apiGroups: strings(x['apiGroups']), resources: strings(x['resources']), resourceNames: strings(x['resourceNames']), verbs: strings(x['verbs']), nonResourceURLs: strings(x['nonResourceURLs']) };
}

/** An object that reaches a cluster, however it got into the output: directly, in a List, or as a KRO template. */
interface Reached {
  readonly object: KubeObject;
  readonly origin: Origin;
  /** ` (item 2 of List x)`, ` (template 'db' of ResourceGraphDefinition y)`. */
  readonly via: string;
  /** A KRO template: its values may be `${…}` expressions that kro fills in at run time. */
  readonly template: boolean;
}

function* reach(o: KubeObject, origin: Origin, via = '', template = false): Generator<Reached> {
  yield { object: o, origin, via, template };
  const name = o.metadata?.name ?? '';
  // kubectl and both engines apply `kind: List` (and `<Kind>List`) items as objects of their own.
  const items = (o as { items?: unknown }).items;
  if (o.kind.endsWith('List') && Array.isArray(items)) {
    for (const [i, item] of items.entries()) if (isKubeObject(item)) yield* reach(item, origin, `${via} (item ${i} of ${o.kind} ${name})`, template);
  }
  if (o.kind === 'ResourceGraphDefinition' && o.apiVersion.startsWith('kro.run/')) {
    const resources = (o as { spec?: { resources?: Array<{ id?: string; template?: unknown }> } }).spec?.resources ?? [];
    for (const r of resources) if (isKubeObject(r.template)) yield* reach(r.template, origin, `${via} (template '${r.id}' of ResourceGraphDefinition ${name})`, true);
  }
}

function describe(r: Reached): string {
  const o = r.object;
  return `${describeObject(o.kind, o.metadata?.name ?? '(unnamed)', o.metadata?.namespace)}${r.via}`;
}

/**
 * A value kro computes at run time from other objects: one `${…}` expression with no string literal in it
 * (`${"hunter2"}` would put the value in Git all the same). Limit: a default in the graph's schema that feeds it
 * is a literal p2c does not trace.
 */
const expressionOnly = (v: unknown) => typeof v === 'string' && /^\$\{[^}"'`]*\}$/s.test(v.trim());

/**
 * Credentials p2c recognises anywhere in an object (a ConfigMap, an env value, an annotation, a template):
 * a small set of high-confidence patterns, each with its own code. The value itself is never printed.
 */
// YAML or JSON: `kind: Config` and `"kind": "Config"`.
const kubeconfigKind = /["']?\bkind["']?\s*:\s*["']?Config\b/;
const kubeconfigSecret = /["']?\b(?:client-key-data|token|password)["']?\s*:\s*["']?[A-Za-z0-9+/=._~-]{16,}/;
const pemKey = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;
/** A whole PEM file in base64 starts with `LS0tLS1CRUdJTi` (`-----BEGIN`): decode that run and look again. */
function base64PemKey(s: string): boolean {
  for (const m of s.matchAll(/LS0tLS1CRUdJTi[A-Za-z0-9+/=]*/g)) if (pemKey.test(Buffer.from(m[0], 'base64').toString('latin1'))) return true;
  return false;
}

/** `scheme://user:password@host`: a password is anything after the colon; `user@host` alone is not one. */
const passwordInUrl = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]{3,}@[^\s/]/i;
const credentialPatterns: readonly { check: CheckId; what: string; test: (s: string) => boolean }[] = [
  { check: 'privateKey', what: 'a private key', test: (s) => pemKey.test(s) || base64PemKey(s) },
  // Two linear searches, not one pattern with a gap: no backtracking on long strings.
  { check: 'kubeconfigCredential', what: 'a kubeconfig with credentials', test: (s) => kubeconfigKind.test(s) && kubeconfigSecret.test(s) },
  { check: 'cloudAccessKey', what: 'a cloud access key', test: (s) => /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bAccountKey=[A-Za-z0-9+/]{40,}={0,2}|"type"\s*:\s*"service_account"/.test(s) },
  { check: 'accessToken', what: 'an access token or a password in a URL', test: (s) => /\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}\b|\bglpat-[A-Za-z0-9_-]{20,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}\b|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(s) || passwordInUrl.test(s) },
];

/** Every string of a value (keys included) at least `min` characters long, with its path: one plain walk. */
function strings(v: unknown, min: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const path: string[] = [];
  const at = () => `/${path.join('/')}`;
  const walk = (x: unknown) => {
    if (typeof x === 'string') {
      if (x.length >= min) out.push([at(), x]);
    } else if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        path.push(String(i));
        walk(x[i]);
        path.pop();
      }
    } else if (x !== null && typeof x === 'object') {
      for (const k in x) {
        path.push(k);
        if (k.length >= min) out.push([at(), k]);
        walk((x as Record<string, unknown>)[k]);
        path.pop();
      }
    }
  };
  walk(v);
  return out;
}

/** Roles and groups whose name alone is full control of a cluster or a namespace. */
const powerful: ReadonlySet<string> = new Set(['cluster-admin', 'admin', 'edit', 'system:masters', 'system:admin']);

/** Subjects that are everyone: a binding to one of them makes a role public. */
export const everyoneSubjects: ReadonlySet<string> = new Set(['Group system:authenticated', 'Group system:unauthenticated', 'Group system:serviceaccounts', 'User system:anonymous']);

/** The RBAC findings for one Role or ClusterRole: what it lets its holder do beyond its own permissions. */
function roleFindings(o: KubeObject): string[] {
  const out: string[] = [];
  if (o.kind === 'ClusterRole' && (o as { aggregationRule?: unknown }).aggregationRule !== undefined) {
    out.push('has an aggregationRule: it silently gains every permission of the roles it selects');
  }
  const aggregates = Object.keys(o.metadata?.labels ?? {}).filter((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-'));
  if (o.kind === 'ClusterRole' && aggregates.length) out.push(`carries ${aggregates.join(', ')}: its rules are added to a built-in role every binding of that role then grants`);
  for (const [i, raw] of list((o as { rules?: unknown }).rules).entries()) {
    const r = ruleOf(raw);
    const verbs = r.verbs;
    const resources = r.resources;
    const named = r.resourceNames.length > 0;
    const rule = `rule ${i}`;
    for (const v of ['escalate', 'bind', 'impersonate']) {
      if (!verbs.includes(v) || named) continue;
      if (v === 'bind' && resources.includes('apiexports')) out.push(`${rule} grants bind on every APIExport: any export of the workspace may be bound`);
      else out.push(`${rule} grants '${v}' without resourceNames: ${v === 'impersonate' ? 'its holder may act as anyone' : 'its holder may grant itself any permission'}`);
    }
    for (const res of resources) {
      if (/(^|\/)(exec|attach|portforward|proxy)$/.test(res)) out.push(`${rule} grants ${res}: a shell or a network path into workloads or nodes`);
      if (res === 'serviceaccounts/token' && verbs.includes('create')) out.push(`${rule} mints tokens for service accounts: its holder may act as any of them`);
    }
    // By name is no safer when the name is the most powerful one.
    const mighty = r.resourceNames.filter((n) => powerful.has(n));
    if (named && mighty.length && verbs.some((v) => v === 'bind' || v === 'escalate' || v === 'impersonate')) {
      out.push(`${rule} grants ${verbs.filter((v) => v === 'bind' || v === 'escalate' || v === 'impersonate').join(', ')} on ${mighty.join(', ')}`);
    }
    if (r.nonResourceURLs.some((u) => u.endsWith('*'))) out.push(`${rule} grants every non-resource URL`);
    const readsSecrets = r.apiGroups.includes('') && resources.includes('secrets') && verbs.some((v) => v === 'get' || v === 'list' || v === 'watch');
    if (o.kind === 'ClusterRole' && readsSecrets && !named) out.push(`${rule} reads Secrets in every namespace`);
  }
  return out;
}

const fixes: Partial<Record<CheckId, string>> = {
  rbacEscalation: `grant the verbs and resources it needs, by resourceNames where possible; if it truly needs this, annotate the object ${exceptionAnnotation}: "rbac-escalation: <why>"`,
  publicAccess: 'bind named users, groups or service accounts; to make an export public on purpose, declare it with public: true',
};

/** Names of ClusterRoles whose every rule is `bind` on APIExports by name: the only roles a public binding may grant. */
export function bindOnlyRoles(manifests: readonly Manifest[]): Set<string> {
  const out = new Set<string>();
  for (const { object: o } of manifests) {
    const rules = (o as { rules?: unknown }).rules;
    if (o.kind !== 'ClusterRole' || !Array.isArray(rules) || rules.length === 0) continue;
    const ok = rules.map(ruleOf).every((r) => JSON.stringify(r.apiGroups) === '["apis.kcp.io"]' && JSON.stringify(r.resources) === '["apiexports"]'
      && JSON.stringify(r.verbs) === '["bind"]' && r.resourceNames.length > 0);
    if (ok && (o as { aggregationRule?: unknown }).aggregationRule === undefined) out.add(o.metadata.name);
  }
  return out;
}

/** Security rules over every object p2c would write, the user's own objects and nested ones included. */
export function securityRules(manifests: readonly Manifest[]): Diagnostic[] {
  const rules = securityRulesOf(bindOnlyRoles(manifests));
  return manifests.flatMap((m) => rules.check(m));
}

/**
 * The security rules of one output, object by object, given its bind-only roles (bindOnlyRoles). What an object's
 * findings depend on beyond its own content is `context(m)`: which of the bindings it holds bind one of those roles
 * (which lifts public-access), as text.
 */
export function securityRulesOf(bindOnly: ReadonlySet<string>): { check(m: Checked): Diagnostic[]; context(m: Checked): string } {
  const bindsBindOnly = (o: KubeObject) => bindOnly.has((o as { roleRef?: { name?: string } }).roleRef?.name ?? '');
  let out: Diagnostic[] = [];
  const report = (check: CheckId, r: Reached, message: string, hint?: string) => {
    // public-access is lifted only on a binding of a role that grants nothing but `bind` on named APIExports.
    const liftable = check !== 'publicAccess' || bindsBindOnly(r.object);
    if (liftable && exceptionChecks.has(check) && exceptedChecks(r.object).has(checks[check].name)) return;
    out.push(diagnostic(check, r.origin, message, hint ?? fixes[check]));
  };
  return {
    context: (m) => [...reach(m.object, m.origin)].filter((r) => bindsBindOnly(r.object)).map((r) => `bind-only${r.via}`).join('\n'),
    check(m) {
      out = [];
      try {
        checkOne(m);
      } catch (e) {
        // A shape no rule expected fails closed: reported, never passed.
        out.push(diagnostic('invalidObject', m.origin, `${m.object.kind} ${m.object.metadata?.name ?? ''} could not be checked by the security rules (${(e as Error).message})`));
      }
      return out;
    },
  };

  function checkOne(m: Checked): void {
    for (const r of reach(m.object, m.origin)) {
      const o = r.object;
      const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
      if (group === '' && o.kind === 'Secret') {
        const values = ['data', 'stringData'].flatMap((k) => {
          const field = (o as Record<string, unknown>)[k];
          return field !== null && typeof field === 'object' ? Object.values(field) : field === undefined ? [] : [field];
        });
        const literal = ['data', 'stringData'].some((k) => k in o) && !(r.template && values.every(expressionOnly));
        if (literal) report('secretData', r, `${describe(r)} carries data; p2c output goes to Git and must never hold credentials`, 'create the Secret out of band (or with a secrets operator) and reference it by name');
      }
      if (group === 'rbac.authorization.k8s.io') {
        // In a KRO template, permissions or grantees computed at run time are whatever an instance asks for.
        if (r.template && (o.kind === 'Role' || o.kind === 'ClusterRole') && typeof (o as { rules?: unknown }).rules === 'string') {
          report('rbacEscalation', r, `${describe(r)} takes its rules from an expression: whoever creates the graph's instances picks the permissions`);
        }
        if (r.template && (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && JSON.stringify((o as { subjects?: unknown }).subjects ?? []).includes('${')) {
          report('rbacEscalation', r, `${describe(r)} takes its subjects from an expression: whoever creates the graph's instances picks who holds the role`);
        }
        if (o.kind === 'Role' || o.kind === 'ClusterRole') {
          for (const [i, raw] of list((o as { rules?: unknown }).rules).entries()) {
            const rule = ruleOf(raw);
            const wild = [...rule.verbs.map((v) => `verb ${v}`), ...rule.resources.map((x) => `resource ${x}`), ...rule.apiGroups.map((g) => `group ${g}`)].filter((x) => x.endsWith(' *'));
            if (wild.length) report('wildcardRbac', r, `${describe(r)} rule ${i} grants ${wild.join(', ')}`, 'list the verbs, resources and API groups it needs');
          }
          for (const f of roleFindings(o)) report('rbacEscalation', r, `${describe(r)} ${f}`);
        }
        if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
          const ref = (o as { roleRef?: { kind?: string; name?: string } }).roleRef;
          if (ref?.kind === 'ClusterRole' && ref.name === 'cluster-admin') report('rbacEscalation', r, `${describe(r)} binds cluster-admin`);
          // admin and edit read every Secret and exec into pods: fine in one namespace, not across all of them.
          if (o.kind === 'ClusterRoleBinding' && ref?.kind === 'ClusterRole' && (ref.name === 'admin' || ref.name === 'edit')) report('rbacEscalation', r, `${describe(r)} binds ${ref.name} in every namespace`);
          // A KRO template choosing its role at run time can bind any role, cluster-admin included.
          if (r.template && JSON.stringify(ref ?? {}).includes('${')) report('rbacEscalation', r, `${describe(r)} takes its roleRef from an expression: whoever creates the graph's instances picks the role`);
          const subjects = list<{ kind?: string; name?: string } | null>((o as { subjects?: unknown }).subjects).filter((x): x is { kind?: string; name?: string } => x !== null && typeof x === 'object');
          if (subjects.some((s) => s.kind === 'Group' && s.name === 'system:masters')) report('rbacEscalation', r, `${describe(r)} binds the group system:masters`);
          for (const s of subjects.filter((s) => everyoneSubjects.has(`${s.kind} ${s.name}`))) {
            report('publicAccess', r, `${describe(r)} grants ${ref?.kind ?? 'a role'} ${ref?.name ?? ''} to ${s.kind} ${s.name}: that is everyone${s.name === 'system:unauthenticated' || s.name === 'system:anonymous' ? ', logged in or not' : ''}`);
          }
        }
      }
    }
    // Credentials anywhere in the object (nested ones included); a Secret's own data is P2C012's.
    const o = m.object;
    const scanned: Record<string, unknown> = o.apiVersion === 'v1' && o.kind === 'Secret' ? { ...o, data: undefined, stringData: undefined } : { ...o };
    // binaryData is base64: a key hides there as well as in plain text.
    const binary = (o as { binaryData?: unknown }).binaryData;
    if (binary && typeof binary === 'object') scanned['binaryData'] = Object.fromEntries(Object.entries(binary).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v, 'base64').toString('latin1') : v]));
    const found = new Set<CheckId>();
    // No credential pattern matches fewer than 11 characters (`a://b:ccc@d`); most strings are names.
    for (const [at, text] of strings(scanned, 11)) {
      for (const p of credentialPatterns) {
        if (found.has(p.check) || !p.test(text)) continue;
        found.add(p.check);
        out.push(diagnostic(p.check, m.origin, `${describeObject(o.kind, o.metadata.name, o.metadata.namespace)} carries ${p.what} at ${at}; p2c output goes to Git`, 'keep the credential in a Secret created out of band and reference it (secretKeyRef, a mounted Secret)'));
      }
    }
  }
}
