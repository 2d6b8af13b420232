import type { KubeObject, SubjectModel } from '../model/mesh.js';

export interface Rule {
  apiGroups: string[];
  resources: string[];
  resourceNames?: string[];
  verbs: string[];
}

export const readWrite = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
export const readOnly = ['get', 'list', 'watch'];

/** Rules for a set of group/resource pairs, one rule per group, sorted: stable and least privilege. */
export function resourceRules(pairs: Iterable<readonly [group: string, resource: string]>, verbs: string[]): Rule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const [g, r] of pairs) (byGroup.get(g) ?? byGroup.set(g, new Set()).get(g)!).add(r);
  return [...byGroup.keys()].sort().map((g) => ({ apiGroups: [g], resources: [...byGroup.get(g)!].sort(), verbs: [...verbs] }));
}

type Subject = { kind: string; name: string; namespace?: string; apiGroup?: string };

/** A subject as RBAC spells it: ServiceAccounts carry a namespace, users and groups the RBAC API group. */
export function rbacSubject(s: SubjectModel): Subject {
  return s.kind === 'ServiceAccount'
    ? { kind: s.kind, name: s.name, namespace: s.namespace ?? 'default' }
    : { kind: s.kind, name: s.name, apiGroup: 'rbac.authorization.k8s.io' };
}

/** A ClusterRole (or Role, with a namespace) and its binding to the subjects. */
export function roleWithBinding(name: string, labels: Record<string, string>, rules: Rule[], subjects: Subject[], namespace?: string, roleAnnotations?: Record<string, string>): KubeObject[] {
  const kind = namespace ? 'Role' : 'ClusterRole';
  const meta = { name, ...(namespace ? { namespace } : {}), labels };
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { ...meta, ...(roleAnnotations ? { annotations: roleAnnotations } : {}) }, rules },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: `${kind}Binding`, metadata: { ...meta }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name }, subjects },
  ];
}
