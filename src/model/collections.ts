/** Groups items by a key in one pass; items whose key is undefined are left out. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Sorted by a string key in code-unit order, never the locale's: output must not depend on LANG. */
export function sortedBy<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** `group/Kind`, how kinds are keyed wherever p2c asks which kinds exist where. */
export function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Code-unit order, for sort callbacks: `localeCompare` would make output depend on LANG (da_DK, lt_LT reorder). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `Kind namespace/name`, how findings and reports name an object. */
export function describeObject(kind: string, name: string, namespace?: string): string {
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** A value shaped like a Kubernetes object (it has a kind): List items, KRO templates. */
export function isKubeObject(v: unknown): v is { kind: string; apiVersion: string; metadata: { name: string; namespace?: string } } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

/**
 * Appends every item to `list`. `list.push(...items)` passes each item as an argument, and a list as large as a big
 * mesh's (objects, findings, MESH.md lines) overflows the call stack.
 */
export function append<T>(list: T[], items: Iterable<T>): T[] {
  for (const item of items) list.push(item);
  return list;
}
