import type { KubeObject } from '../model/mesh.js';
import { standardLabels } from './manifest.js';

/** A service CRD as written to a cluster folder: the user's CRD, without status, with our labels. */
export function crdObject(meshName: string, crd: KubeObject): KubeObject {
  const { status: _status, ...rest } = crd as KubeObject & { status?: unknown };
  return { ...rest, metadata: { ...rest.metadata, labels: { ...(rest.metadata.labels ?? {}), ...standardLabels(meshName) } } };
}
