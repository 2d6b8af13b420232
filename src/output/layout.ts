import type { KubeObject, Target } from '../model/mesh.js';
import { folderOf, parentPath } from '../model/target.js';
import type { Manifest } from '../emit/manifest.js';
import type { Origin } from '../model/origin.js';

export { folderOf };

/** `<kind>_<name>.yaml`, namespaced `<kind>_<namespace>_<name>.yaml`; `_` cannot occur in Kubernetes names. */
export function fileNameOf(o: KubeObject): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9.-]/g, '-');
  const parts = [o.kind.toLowerCase(), ...(o.metadata.namespace ? [o.metadata.namespace] : []), o.metadata.name];
  return `${parts.map(safe).join('_')}.yaml`;
}

export interface PlacedObject {
  readonly folder: string;
  readonly file: string;
  readonly object: KubeObject;
  readonly origins: readonly Origin[];
}

export interface Layout {
  /** Folder → its objects, sorted by file name. */
  readonly folders: ReadonlyMap<string, readonly PlacedObject[]>;
  /** The same object emitted twice with different content. */
  readonly collisions: readonly { placed: PlacedObject; other: Manifest }[];
}

/**
 * Places every manifest in its folder. Identical objects emitted twice (a namespace two
 * agents share) become one; different objects for one file are collisions.
 */
export function layoutManifests(manifests: readonly Manifest[], targets: readonly Target[], encode: (o: KubeObject) => string): Layout {
  const folders = new Map<string, Map<string, PlacedObject & { text: string }>>();
  const ensure = (folder: string) => folders.get(folder) ?? folders.set(folder, new Map()).get(folder)!;
  for (const t of targets) {
    ensure(folderOf(t));
    if (t.type === 'workspace') for (let p = parentPath(t.path); p; p = parentPath(p)) ensure(folderOf({ type: 'workspace', path: p }));
  }
  const collisions: { placed: PlacedObject; other: Manifest }[] = [];
  for (const m of manifests) {
    const folder = folderOf(m.target);
    const files = ensure(folder);
    if (m.target.type === 'workspace') for (let p = parentPath(m.target.path); p; p = parentPath(p)) ensure(folderOf({ type: 'workspace', path: p }));
    const file = fileNameOf(m.object);
    const text = encode(m.object);
    const existing = files.get(file);
    if (!existing) files.set(file, { folder, file, object: m.object, origins: [m.origin], text });
    else if (existing.text === text) (existing.origins as Origin[]).push(m.origin);
    else collisions.push({ placed: existing, other: m });
  }
  const sorted = new Map<string, PlacedObject[]>();
  for (const folder of [...folders.keys()].sort()) {
    const files = folders.get(folder)!;
    sorted.set(folder, [...files.keys()].sort().map((f) => files.get(f)!));
  }
  return { folders: sorted, collisions };
}
