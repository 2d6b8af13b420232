import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, Target } from '../model/mesh.js';
import { folderOf } from '../model/target.js';
import type { Manifest } from '../emit/manifest.js';
import type { Origin } from '../model/origin.js';

export { folderOf };

/** The file holding a folder's objects, one YAML document each. */
export const manifestFile = 'manifest.yaml';

/** Identity of an object within its folder, `<kind>/<namespace>/<name>`: also its sort key. */
export function objectId(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

export interface PlacedObject {
  readonly folder: string;
  readonly id: string;
  readonly object: KubeObject;
  /** The rendered document, made when read (a file p2c can take unchanged from the last synth needs none). */
  readonly text: string;
  readonly origins: readonly Origin[];
}

export interface Layout {
  /** Folder → its objects, sorted by file name. */
  readonly folders: ReadonlyMap<string, readonly PlacedObject[]>;
  /** The same object emitted twice with different content. */
  readonly collisions: readonly { placed: PlacedObject; other: Manifest }[];
}

/** The text is rendered each time it is read, never kept: the folder's file holds it, and a large mesh's texts are gigabytes. */
function placedObject(folder: string, id: string, m: Manifest, encode: (o: KubeObject) => string): PlacedObject {
  return { folder, id, object: m.object, origins: [m.origin], get text() { return encode(m.object); } };
}

/**
 * Places every manifest in its folder, sorted by identity. Identical objects emitted twice (a
 * namespace two agents share) become one; two different objects with one identity collide.
 */
export function layoutManifests(
  manifests: readonly Manifest[],
  targets: readonly Target[],
  encode: (o: KubeObject) => string,
): Layout {
  const byFolder = new Map<string, Manifest[]>();
  const ensure = (folder: string) => byFolder.get(folder) ?? byFolder.set(folder, []).get(folder)!;
  // Targets name every folder that is applied, parents included when p2c creates them (applyTargets).
  for (const t of targets) ensure(folderOf(t));
  for (const m of manifests) ensure(folderOf(m.target)).push(m);
  const collisions: { placed: PlacedObject; other: Manifest }[] = [];
  const sorted = new Map<string, PlacedObject[]>();
  for (const folder of [...byFolder.keys()].sort()) {
    const objects = new Map<string, PlacedObject>();
    for (const m of byFolder.get(folder)!) {
      const id = objectId(m.object);
      const existing = objects.get(id);
      if (!existing) objects.set(id, placedObject(folder, id, m, encode));
      // Equal content renders equally; only objects that differ are rendered to compare.
      else if (isDeepStrictEqual(existing.object, m.object) || existing.text === encode(m.object)) (existing.origins as Origin[]).push(m.origin);
      else collisions.push({ placed: existing, other: m });
    }
    const placed = [...objects.keys()].sort().map((id) => objects.get(id)!);
    sorted.set(folder, placed);
  }
  return { folders: sorted, collisions };
}
