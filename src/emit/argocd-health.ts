import type { KubeObject } from '../model/mesh.js';

/**
 * Argo CD health checks for the kinds p2c orders Applications by. Sync waves only wait while what a wave applied is
 * not yet Healthy, and a kind without a health check counts as healthy at once (argo-cd v3.5.1
 * gitops-engine/pkg/sync/sync_context.go); Argo CD ships none for Application (removed in 1.8), kcp or kube-bind
 * (resource_customizations/). Each script reads only `obj` and base Lua: Argo CD runs gopher-lua (Lua 5.1) without
 * the standard libraries unless told otherwise (util/lua/lua.go).
 */
export interface HealthCheck {
  readonly group: string;
  readonly kind: string;
  /** Why this is the rule, from the controller that writes the status. */
  readonly source: string;
  readonly lua: string;
}

/** A condition of `obj` by type, or nil: shared by the scripts below. */
const conditionOf = `local function condition(t)
  if obj.status == nil or obj.status.conditions == nil then return nil end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == t then return c end
  end
  return nil
end
local function said(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then return c.message end
  return fallback
end
`;

export const healthChecks: readonly HealthCheck[] = [
  {
    group: 'argoproj.io',
    kind: 'Application',
    source: "argo-cd v3.5.1 docs/operator-manual/health.md: Application health is no longer built in; a parent waits on its children's health only with this",
    lua: `local hs = { status = "Progressing", message = "waiting for the application to report its health" }
if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then
  hs.status = obj.status.health.status
  hs.message = "application is " .. hs.status
  if obj.status.health.message ~= nil and obj.status.health.message ~= "" then hs.message = obj.status.health.message end
end
return hs
`,
  },
  {
    group: 'tenancy.kcp.io',
    kind: 'Workspace',
    source: 'kcp v0.32.3 pkg/reconciler/tenancy/workspace/workspace_reconcile_phase.go: phase Ready once initialized; Unavailable while a Workspace* condition is False',
    lua: `${conditionOf}local phase = ""
if obj.status ~= nil and obj.status.phase ~= nil then phase = obj.status.phase end
if phase == "Ready" then return { status = "Healthy", message = "workspace is ready" } end
if phase == "Unavailable" then
  for _, t in ipairs({ "WorkspaceScheduled", "WorkspaceInitialized" }) do
    local c = condition(t)
    if c ~= nil and c.status == "False" then return { status = "Degraded", message = said(c, t .. " is False") } end
  end
  return { status = "Degraded", message = "workspace is unavailable" }
end
if phase == "" then return { status = "Progressing", message = "waiting for kcp to schedule the workspace" } end
return { status = "Progressing", message = "workspace is " .. phase }
`,
  },
  {
    group: 'apis.kcp.io',
    kind: 'APIBinding',
    source: 'kcp v0.32.3 pkg/reconciler/apis/apibinding/apibinding_reconcile.go: Ready summarizes InitialBindingCompleted; a missing export is waited for, a bad reference or a naming conflict is an error',
    lua: `${conditionOf}local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then return { status = "Healthy", message = "bound" } end
local broken = { APIExportInvalidReference = true, NamingConflicts = true, APIResourceSchemaInvalid = true }
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.status == "False" and c.reason ~= nil and broken[c.reason] then return { status = "Degraded", message = said(c, c.reason) } end
  end
end
local export = condition("APIExportValid")
if export ~= nil and export.status == "False" then return { status = "Progressing", message = said(export, "waiting for the APIExport") } end
return { status = "Progressing", message = said(ready, "binding") }
`,
  },
  {
    group: 'apis.kcp.io',
    kind: 'APIExport',
    source: 'kcp v0.32.3 pkg/reconciler/apis/apiexport/apiexport_reconcile.go: status.identityHash and IdentityValid=True are set together',
    lua: `${conditionOf}local identity = condition("IdentityValid")
if identity ~= nil and identity.status == "False" then return { status = "Degraded", message = said(identity, "identity is not valid") } end
if obj.status ~= nil and obj.status.identityHash ~= nil and obj.status.identityHash ~= "" then
  return { status = "Healthy", message = "identity " .. obj.status.identityHash }
end
return { status = "Progressing", message = "waiting for kcp to assign the identity" }
`,
  },
  {
    group: 'core.platform-mesh.io',
    kind: 'Account',
    source: "platform-mesh account-operator: the Account's Ready condition aggregates its subroutines and turns True only once the account's workspace is Ready",
    lua: `${conditionOf}local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then return { status = "Healthy", message = "account ready" } end
return { status = "Progressing", message = said(ready, "waiting for account-operator to create the workspace") }
`,
  },
  {
    group: 'kube-bind.io',
    kind: 'APIServiceBinding',
    source: 'kube-bind v0.8.1 pkg/konnector/controllers/servicebinding: Ready summarizes every condition; a foreign CRD is an error, a missing kubeconfig Secret is waited for',
    lua: `${conditionOf}local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then return { status = "Healthy", message = "connected" } end
local connected = condition("Connected")
if connected ~= nil and connected.status == "False" and connected.reason == "ForeignCustomResourceDefinition" then
  return { status = "Degraded", message = said(connected, "a CRD of the same name belongs to someone else") }
end
local secret = condition("SecretValid")
if secret ~= nil and secret.status == "False" then return { status = "Progressing", message = said(secret, "waiting for the kubeconfig Secret") } end
return { status = "Progressing", message = said(ready, "connecting") }
`,
  },
];

/**
 * The argocd-cm settings p2c's apps need, as a partial ConfigMap to apply server-side (only these keys change):
 * the health checks above, and kcp's LogicalCluster left out of Argo CD's cache (kcp writes one into every workspace;
 * p2c never applies it, and Argo CD would otherwise track it in every workspace destination).
 */
export function argocdSettings(namespace: string, labels: Record<string, string>): KubeObject {
  const data: Record<string, string> = {};
  for (const h of healthChecks) data[`resource.customizations.health.${h.group}_${h.kind}`] = h.lua;
  data['resource.exclusions'] = '- apiGroups: ["core.kcp.io"]\n  kinds: ["LogicalCluster"]\n';
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace, labels: { ...labels, 'app.kubernetes.io/part-of': 'argocd' } }, data };
}
