/**
 * API groups a kcp workspace serves without any APIExport. A permission claim on any other
 * group targets some export's resource and needs that export's identityHash.
 */
const builtinGroups = new Set([
  '', 'apps', 'batch', 'rbac.authorization.k8s.io', 'coordination.k8s.io', 'events.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'core.kcp.io', 'apis.kcp.io',
  // System CRDs of every workspace (kcp v0.32.0 config/system-crds/bootstrap.go).
  'cache.kcp.io',
]);

/**
 * kcp API groups whose kinds every workspace has (kcp v0.32.0 config/system-crds/bootstrap.go, and tenancy through root's
 * types): objects of them need no CRD or binding in the workspace's folder.
 */
export const kcpWorkspaceGroups: ReadonlySet<string> = new Set(['apis.kcp.io', 'tenancy.kcp.io', 'core.kcp.io', 'cache.kcp.io']);

export function isBuiltinGroup(group: string): boolean {
  return builtinGroups.has(group);
}

/** `resource` for the core group, `resource.group` otherwise, as kubectl writes it. */
export function resourceKey(group: string, resource: string): string {
  return group === '' ? resource : `${resource}.${group}`;
}
