import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';

/**
 * Places where an upstream component really needs "*", named so reviews can see them. RBAC has
 * none: every role p2c writes lists its verbs, resources and groups. The one wildcard p2c emits
 * is not RBAC: api-syncagent writes its APIExport claims as `all: true`, which kcp shows as
 * verbs ["*"]; p2c writes the same so GitOps and the agent agree.
 */
export const wildcardExceptions: readonly { readonly where: string; readonly why: string }[] = [
  { where: 'APIExport spec.permissionClaims[].verbs of exports published by api-syncagent', why: 'the agent writes all: true (v1alpha1), shown as verbs ["*"] in v1alpha2' },
];

type Rule = { apiGroups?: string[]; resources?: string[]; verbs?: string[]; nonResourceURLs?: string[] };

/** Security rules over every object p2c would write, the user's own objects included. */
export function securityRules(manifests: readonly Manifest[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const m of manifests) {
    const o = m.object;
    if (o.apiVersion === 'v1' && o.kind === 'Secret' && ('data' in o || 'stringData' in o)) {
      out.push(diagnostic('secretData', m.origin, `Secret ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} carries data; p2c output goes to Git and must never hold credentials`, 'create the Secret out of band (or with a secrets operator) and reference it by name'));
    }
    if (o.apiVersion === 'rbac.authorization.k8s.io/v1' && (o.kind === 'Role' || o.kind === 'ClusterRole')) {
      for (const [i, r] of ((o['rules'] as Rule[] | undefined) ?? []).entries()) {
        const wild = [...(r.verbs ?? []).map((v) => `verb ${v}`), ...(r.resources ?? []).map((x) => `resource ${x}`), ...(r.apiGroups ?? []).map((g) => `group ${g}`)].filter((x) => x.endsWith(' *'));
        if (wild.length) out.push(diagnostic('wildcardRbac', m.origin, `${o.kind} ${o.metadata.name} rule ${i} grants ${wild.join(', ')}`, 'list the verbs, resources and API groups it needs'));
      }
    }
  }
  return out;
}
