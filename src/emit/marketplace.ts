import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { standardLabels, workspaceTarget, type Manifest } from './manifest.js';

/** Platform Mesh's portal finds what belongs to an export by this label (provider-quickstart config/provider). */
export const contentForLabel = 'ui.platform-mesh.io/content-for';
/** …and the entity a ContentConfiguration extends, e.g. `core_platform-mesh_io_account`. */
export const entityLabel = 'ui.platform-mesh.io/entity';

/**
 * Marketplace listings: ProviderMetadata (named like the export) and ContentConfigurations in the export's workspace,
 * the shapes provider-quickstart writes by hand (platform-mesh/provider-quickstart e01f046, config/provider).
 */
export function emitMarketplace(mesh: ResolvedMesh): Manifest[] {
  const out: Manifest[] = [];
  for (const e of mesh.exports) {
    const m = e.marketplace;
    if (!m || !e.workspacePath || e.external) continue;
    const target = workspaceTarget(e.workspacePath);
    const objects: KubeObject[] = [];
    if (m.providerMetadata) {
      objects.push({ apiVersion: 'ui.platform-mesh.io/v1alpha1', kind: 'ProviderMetadata', metadata: { name: e.name, labels: standardLabels(mesh.name) }, spec: m.providerMetadata });
    }
    for (const c of m.contentConfigurations) {
      objects.push({
        apiVersion: 'ui.platform-mesh.io/v1alpha1', kind: 'ContentConfiguration',
        metadata: { name: c.name, labels: { [contentForLabel]: e.name, ...(c.entity ? { [entityLabel]: c.entity } : {}), ...standardLabels(mesh.name) } },
        spec: c.spec,
      });
    }
    for (const object of objects) out.push({ target, object, origin: e.origin });
  }
  return out;
}
