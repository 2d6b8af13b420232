/**
 * Block-style YAML for plain JSON data (maps, lists, strings, numbers, booleans, null): all
 * Kubernetes manifests are. It is several times faster than a general YAML library because it
 * never builds a document tree. Strings are written plain only when both YAML 1.1 readers
 * (kubectl, Argo CD, Flux) and YAML 1.2 readers read them back as the same string; everything
 * else is double-quoted with JSON escapes, which YAML reads identically.
 */

// Words and number forms that YAML 1.1 or 1.2 would read as something other than a string.
const special = /^(?:[yYnN~]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
const numberLike = /^[-+]?(?:\.?[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)/;
const timestampLike = /^\d{4}-\d\d?-\d\d?/;
const safeChars = /^[A-Za-z0-9_./$-][A-Za-z0-9_./:=@+,${}()\[\]' -]*$/;

function plainOk(s: string): boolean {
  if (s === '' || s === '-' || !safeChars.test(s)) return false;
  if (s.startsWith('.') && !s.startsWith('./')) return false; // ".", ".5", ".inf" read as numbers
  if (special.test(s) || numberLike.test(s) || timestampLike.test(s) || /^[-+0-9._eE]+$/.test(s)) return false;
  // Block context: ": " would start a mapping, " #" a comment, "- " a sequence entry.
  return !(s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #') || s.startsWith('- '));
}

// Keys and values repeat a lot across manifests (verbs, labels, field names): decide once.
const rendered = new Map<string, string>();

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    let r = rendered.get(v);
    if (r === undefined) {
      if (rendered.size > 200_000) rendered.clear();
      rendered.set(v, (r = plainOk(v) ? v : JSON.stringify(v)));
    }
    return r;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Key order: sorted at every level (as cdk8s does), with apiVersion, kind, metadata first at the top. */
let sortKeys = false;
const leading = ['apiVersion', 'kind', 'metadata'];
function keysOf(m: Record<string, unknown>, top: boolean): string[] {
  const keys = Object.keys(m).filter((k) => m[k] !== undefined);
  if (!sortKeys) return keys;
  keys.sort();
  return top ? [...leading.filter((k) => keys.includes(k)), ...keys.filter((k) => !leading.includes(k))] : keys;
}

function emitValue(out: string[], v: unknown, indent: string): void {
  // Called after "key:" or "- "; writes the rest of the line and any nested lines.
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(' []\n');
    else {
      out.push('\n');
      emitList(out, v, indent + '  ');
    }
  } else if (isMap(v)) {
    const keys = keysOf(v, false);
    if (keys.length === 0) out.push(' {}\n');
    else {
      out.push('\n');
      emitMap(out, v, keys, indent + '  ');
    }
  } else {
    out.push(' ', scalar(v), '\n');
  }
}

function emitMap(out: string[], m: Record<string, unknown>, keys: string[], indent: string, first = indent): void {
  let prefix = first;
  for (const k of keys) {
    out.push(prefix, scalar(k), ':');
    emitValue(out, m[k], indent);
    prefix = indent;
  }
}

function emitList(out: string[], list: unknown[], indent: string): void {
  for (const item of list) {
    if (isMap(item)) {
      const keys = keysOf(item, false);
      if (keys.length === 0) out.push(indent, '- {}\n');
      else emitMap(out, item, keys, indent + '  ', indent + '- ');
    } else if (Array.isArray(item)) {
      if (item.length === 0) out.push(indent, '- []\n');
      else {
        out.push(indent, '-\n');
        emitList(out, item, indent + '  ');
      }
    } else {
      out.push(indent, '- ', scalar(item), '\n');
    }
  }
}

/** One YAML document for a JSON value. `sorted`: keys sorted at every level, apiVersion/kind/metadata first. */
export function toYaml(value: unknown, options: { sorted?: boolean } = {}): string {
  sortKeys = options.sorted ?? false;
  const out: string[] = [];
  if (isMap(value)) {
    const keys = keysOf(value, true);
    if (keys.length === 0) return '{}\n';
    emitMap(out, value, keys, '');
  } else if (Array.isArray(value)) {
    if (value.length === 0) return '[]\n';
    emitList(out, value, '');
  } else {
    return scalar(value) + '\n';
  }
  return out.join('');
}
