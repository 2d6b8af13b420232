import type { KubeObject } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import type { Manifest } from './manifest.js';
import { isKubeObject } from '../model/collections.js';

/**
 * The items of a `List` (`kind: List` or `<Kind>List`, nested ones too), which kubectl, kustomize and both
 * engines apply as objects of their own. Written one by one, each is protected, validated and reported like
 * any other object; a List kept whole would hide its Namespaces and CRDs from all of that.
 */
function flatten(o: KubeObject): KubeObject[] {
  const items = (o as { items?: unknown }).items;
  if (!o.kind.endsWith('List') || !Array.isArray(items)) return [o];
  return items.flatMap((item) => (isKubeObject(item) ? flatten(item as KubeObject) : []));
}

/** Objects users added with cdk8s go to their folder unchanged, Lists as their items. */
export function emitUserObjects(mesh: ResolvedMesh): Manifest[] {
  return mesh.userObjects.flatMap((u) => flatten(u.object).map((object) => ({ target: u.target, object, origin: u.origin })));
}
