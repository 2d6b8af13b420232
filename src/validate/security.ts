import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CheckId } from '../diagnostics/codes.js';
import { checks } from '../diagnostics/codes.js';
import type { Manifest } from '../emit/manifest.js';
import type { KubeObject } from '../model/mesh.js';
import type { Origin } from '../model/origin.js';

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

/** An object that reaches a cluster, however it got into the output: directly, in a List, or as a KRO template. */
interface Reached {
  readonly object: KubeObject;
  readonly origin: Origin;
  /** ` (item 2 of List x)`, ` (template 'db' of ResourceGraphDefinition y)`. */
  readonly via: string;
  /** A KRO template: its values may be `${…}` expressions that kro fills in at run time. */
  readonly template: boolean;
}

function isObject(v: unknown): v is KubeObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

function* reach(o: KubeObject, origin: Origin, via = '', template = false): Generator<Reached> {
  yield { object: o, origin, via, template };
  const name = o.metadata?.name ?? '';
  // kubectl and both engines apply `kind: List` (and `<Kind>List`) items as objects of their own.
  const items = (o as { items?: unknown }).items;
  if (o.kind.endsWith('List') && Array.isArray(items)) {
    for (const [i, item] of items.entries()) if (isObject(item)) yield* reach(item, origin, `${via} (item ${i} of ${o.kind} ${name})`, template);
  }
  if (o.kind === 'ResourceGraphDefinition' && o.apiVersion.startsWith('kro.run/')) {
    const resources = (o as { spec?: { resources?: Array<{ id?: string; template?: unknown }> } }).spec?.resources ?? [];
    for (const r of resources) if (isObject(r.template)) yield* reach(r.template, origin, `${via} (template '${r.id}' of ResourceGraphDefinition ${name})`, true);
  }
}

function describe(r: Reached): string {
  const o = r.object;
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name ?? '(unnamed)'}${r.via}`;
}

/** A value kro computes at run time: nothing of it is in Git. */
const expressionOnly = (v: unknown) => typeof v === 'string' && /^\$\{[^}]*\}$/s.test(v.trim());

/**
 * Credentials p2c recognises anywhere in an object (a ConfigMap, an env value, an annotation, a template):
 * a small set of high-confidence patterns, each with its own code. The value itself is never printed.
 */
const kubeconfigKind = /\bkind\s*:\s*["']?Config\b/;
const kubeconfigSecret = /\b(?:client-key-data|token|password)\s*:\s*["']?[A-Za-z0-9+/=._~-]{16,}/;
const credentialPatterns: readonly { check: CheckId; what: string; test: (s: string) => boolean }[] = [
  { check: 'privateKey', what: 'a private key', test: (s) => /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(s) },
  // Two linear searches, not one pattern with a gap: no backtracking on long strings.
  { check: 'kubeconfigCredential', what: 'a kubeconfig with credentials', test: (s) => kubeconfigKind.test(s) && kubeconfigSecret.test(s) },
  { check: 'cloudAccessKey', what: 'a cloud access key', test: (s) => /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bAccountKey=[A-Za-z0-9+/]{40,}={0,2}|"type"\s*:\s*"service_account"/.test(s) },
  { check: 'accessToken', what: 'an access token', test: (s) => /\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}\b|\bglpat-[A-Za-z0-9_-]{20,}\b|\bxox[abprs]-[A-Za-z0-9-]{10,}\b|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(s) },
];

function* strings(v: unknown, at: string): Generator<[string, string]> {
  if (typeof v === 'string') yield [at || '/', v];
  else if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* strings(x, `${at}/${i}`);
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
    yield [`${at}/${k}`, k];
    yield* strings(x, `${at}/${k}`);
  }
}

const everyone: ReadonlySet<string> = new Set(['Group system:authenticated', 'Group system:unauthenticated', 'Group system:serviceaccounts', 'User system:anonymous']);

/** The RBAC findings for one Role or ClusterRole: what it lets its holder do beyond its own permissions. */
function roleFindings(o: KubeObject): string[] {
  const out: string[] = [];
  if (o.kind === 'ClusterRole' && (o as { aggregationRule?: unknown }).aggregationRule !== undefined) {
    out.push('has an aggregationRule: it silently gains every permission of the roles it selects');
  }
  for (const [i, r] of ((o as { rules?: Rule[] }).rules ?? []).entries()) {
    const verbs = r.verbs ?? [];
    const resources = r.resources ?? [];
    const named = (r.resourceNames ?? []).length > 0;
    const rule = `rule ${i}`;
    for (const v of ['escalate', 'bind', 'impersonate']) {
      if (!verbs.includes(v) || named) continue;
      if (v === 'bind' && resources.includes('apiexports')) out.push(`${rule} grants bind on every APIExport: any export of the workspace may be bound`);
      else out.push(`${rule} grants '${v}' without resourceNames: ${v === 'impersonate' ? 'its holder may act as anyone' : 'its holder may grant itself any permission'}`);
    }
    for (const res of resources) {
      if (/(^|\/)(exec|attach|portforward|proxy)$/.test(res)) out.push(`${rule} grants ${res}: a shell or a network path into workloads or nodes`);
    }
    if ((r.nonResourceURLs ?? []).some((u) => u.endsWith('*'))) out.push(`${rule} grants every non-resource URL`);
    const readsSecrets = (r.apiGroups ?? []).includes('') && resources.includes('secrets') && verbs.some((v) => v === 'get' || v === 'list' || v === 'watch');
    if (o.kind === 'ClusterRole' && readsSecrets && !named) out.push(`${rule} reads Secrets in every namespace`);
  }
  return out;
}

const fixes: Partial<Record<CheckId, string>> = {
  rbacEscalation: `grant the verbs and resources it needs, by resourceNames where possible; if it truly needs this, annotate the object ${exceptionAnnotation}: "rbac-escalation: <why>"`,
  publicAccess: 'bind named users, groups or service accounts; to make an export public on purpose, declare it with public: true',
};

/** Security rules over every object p2c would write, the user's own objects and nested ones included. */
export function securityRules(manifests: readonly Manifest[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (check: CheckId, r: Reached, message: string, hint?: string) => {
    if (exceptionChecks.has(check) && exceptedChecks(r.object).has(checks[check].name)) return;
    out.push(diagnostic(check, r.origin, message, hint ?? fixes[check]));
  };
  for (const m of manifests) {
    for (const r of reach(m.object, m.origin)) {
      const o = r.object;
      const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
      if (group === '' && o.kind === 'Secret') {
        const values = ['data', 'stringData'].flatMap((k) => Object.values(((o as Record<string, unknown>)[k] as Record<string, unknown> | undefined) ?? {}));
        const literal = ['data', 'stringData'].some((k) => k in o) && !(r.template && values.every(expressionOnly));
        if (literal) report('secretData', r, `${describe(r)} carries data; p2c output goes to Git and must never hold credentials`, 'create the Secret out of band (or with a secrets operator) and reference it by name');
      }
      if (group === 'rbac.authorization.k8s.io') {
        if (o.kind === 'Role' || o.kind === 'ClusterRole') {
          for (const [i, rule] of ((o as { rules?: Rule[] }).rules ?? []).entries()) {
            const wild = [...(rule.verbs ?? []).map((v) => `verb ${v}`), ...(rule.resources ?? []).map((x) => `resource ${x}`), ...(rule.apiGroups ?? []).map((g) => `group ${g}`)].filter((x) => x.endsWith(' *'));
            if (wild.length) report('wildcardRbac', r, `${describe(r)} rule ${i} grants ${wild.join(', ')}`, 'list the verbs, resources and API groups it needs');
          }
          for (const f of roleFindings(o)) report('rbacEscalation', r, `${describe(r)} ${f}`);
        }
        if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
          const ref = (o as { roleRef?: { kind?: string; name?: string } }).roleRef;
          if (ref?.kind === 'ClusterRole' && ref.name === 'cluster-admin') report('rbacEscalation', r, `${describe(r)} binds cluster-admin`);
          const subjects = (o as { subjects?: Array<{ kind?: string; name?: string }> }).subjects ?? [];
          if (subjects.some((s) => s.kind === 'Group' && s.name === 'system:masters')) report('rbacEscalation', r, `${describe(r)} binds the group system:masters`);
          for (const s of subjects.filter((s) => everyone.has(`${s.kind} ${s.name}`))) {
            report('publicAccess', r, `${describe(r)} grants ${ref?.kind ?? 'a role'} ${ref?.name ?? ''} to ${s.kind} ${s.name}: that is everyone${s.name === 'system:unauthenticated' || s.name === 'system:anonymous' ? ', logged in or not' : ''}`);
          }
        }
      }
    }
    // Credentials anywhere in the object (nested ones included); a Secret's own data is P2C012's.
    const o = m.object;
    const scanned = o.apiVersion === 'v1' && o.kind === 'Secret' ? { ...o, data: undefined, stringData: undefined } : o;
    const found = new Set<CheckId>();
    for (const [at, text] of strings(scanned, '')) {
      for (const p of credentialPatterns) {
        if (found.has(p.check) || !p.test(text)) continue;
        found.add(p.check);
        out.push(diagnostic(p.check, m.origin, `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} carries ${p.what} at ${at}; p2c output goes to Git`, 'keep the credential in a Secret created out of band and reference it (secretKeyRef, a mounted Secret)'));
      }
    }
  }
  return out;
}
