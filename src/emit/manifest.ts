import type { KubeObject, Target } from '../model/mesh.js';
import type { Origin } from '../model/origin.js';

/** One object an emitter wants written, with where it goes and which construct asked for it. */
export interface Manifest {
  readonly target: Target;
  readonly object: KubeObject;
  readonly origin: Origin;
}

export const managedBy = 'app.kubernetes.io/managed-by';
export const partOf = 'app.kubernetes.io/part-of';

export function standardLabels(meshName: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [managedBy]: 'p2c', [partOf]: meshName, ...extra };
}

export function workspaceTarget(path: string): Target {
  return { type: 'workspace', path };
}

export function clusterTarget(name: string): Target {
  return { type: 'cluster', name };
}
