/** Leaf fields of a JSON value by path (`spec.resources[0].schema`); an empty object or list is a leaf of its own. */
export function leaves(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, '[]');
    value.forEach((v, i) => leaves(v, `${prefix}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix, '{}');
    for (const [k, v] of entries) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** The paths where two objects differ, field by field: a value changed, or a field only one of them has. */
export function fieldDiff(upstream: unknown, ours: unknown): string[] {
  const a = leaves(upstream);
  const b = leaves(ours);
  const out: string[] = [];
  for (const [k, v] of a) if (b.get(k) !== v) out.push(k);
  for (const k of b.keys()) if (!a.has(k)) out.push(k);
  return [...new Set(out)].sort();
}

/** Whether a listed field covers a path: the same path, or a field above it. */
export const covers = (field: string, path: string) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
