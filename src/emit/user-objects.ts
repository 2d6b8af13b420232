import type { ResolvedMesh } from '../resolve/resolve.js';
import type { Manifest } from './manifest.js';

/** Objects users added with cdk8s go to their folder unchanged. */
export function emitUserObjects(mesh: ResolvedMesh): Manifest[] {
  return mesh.userObjects.map((u) => ({ target: u.target, object: u.object, origin: u.origin }));
}
