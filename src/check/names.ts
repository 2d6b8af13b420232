/** Kubernetes and kcp naming rules, returning why a name is invalid or undefined. */

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const workspaceSegment = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The shape every apimachinery name rule has: not empty, at most `max` characters, matching `pattern`. */
function ruleProblem(name: string, max: number, pattern: RegExp, what: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > max) return `is ${name.length} characters long (at most ${max})`;
  return pattern.test(name) ? undefined : `must be ${what}`;
}

export function dnsLabelProblem(name: string): string | undefined {
  return ruleProblem(name, 63, label, 'lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)');
}

export function dnsSubdomainProblem(name: string): string | undefined {
  return ruleProblem(name, 253, subdomain, 'lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit (DNS-1123 subdomain)');
}

export function workspacePathProblem(path: string): string | undefined {
  const segments = path.split(':');
  if (segments[0] !== 'root') return 'must start at root, e.g. root:team:database';
  for (const s of segments) {
    if (!workspaceSegment.test(s)) return `has segment '${s}', which must be 1-63 lower-case letters, digits or "-" starting and ending with a letter or digit`;
  }
  return undefined;
}

export { parentPath } from '../model/target.js';

const dns1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** DNS-1035 label (apimachinery IsDNS1035Label): Service names, CRD plural/singular/kind, version names. */
export function dns1035Problem(name: string): string | undefined {
  return ruleProblem(name, 63, dns1035, 'lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (DNS-1035 label)');
}

/** Label and annotation keys (apimachinery IsQualifiedName): `[prefix/]name`, prefix a DNS-1123 subdomain. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  if (prefix !== undefined) {
    const p = dnsSubdomainProblem(prefix);
    if (p) return `has a prefix that ${p}`;
  }
  const p = ruleProblem(name, 63, qualifiedName, 'letters, digits, "-", "_" and ".", starting and ending with a letter or digit (qualified name)');
  return p && `has a name part that ${p}`;
}

/** Label values (apimachinery IsValidLabelValue): empty, or at most 63 characters of a qualified name's part. */
export function labelValueProblem(value: string): string | undefined {
  return value === '' ? undefined : ruleProblem(value, 63, qualifiedName, 'letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
}

/** ConfigMap and Secret data keys (apimachinery IsConfigMapKey). */
export function configMapKeyProblem(key: string): string | undefined {
  if (key === '.' || key.startsWith('..')) return 'must not be "." or start with ".."';
  return ruleProblem(key, 253, /^[-._a-zA-Z0-9]+$/, 'letters, digits, "-", "_" or "."');
}
