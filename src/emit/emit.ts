import type { ResolvedMesh } from '../resolve/resolve.js';
import type { Manifest } from './manifest.js';
import { emitKcp } from './kcp.js';
import { emitApiSyncAgent } from './api-syncagent.js';
import { emitUserObjects } from './user-objects.js';
import { emitKubeBind } from './kube-bind.js';
import { emitKro } from './kro.js';
import { emitOperators } from './operator.js';
import { emitMarketplace } from './marketplace.js';

export type Emitter = (mesh: ResolvedMesh) => Manifest[];

/** One emitter per upstream system; each reads the resolved mesh and nothing else. */
export const emitters: readonly Emitter[] = [emitKcp, emitApiSyncAgent, emitKubeBind, emitKro, emitOperators, emitMarketplace, emitUserObjects];

export function emitMesh(mesh: ResolvedMesh): Manifest[] {
  return emitters.flatMap((emit) => emit(mesh));
}
