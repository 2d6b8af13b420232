/** Kubernetes and kcp naming rules, returning why a name is invalid or undefined. */

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const workspaceSegment = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 63) return `is ${name.length} characters long (at most 63)`;
  if (!label.test(name)) return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit (DNS-1123 label)';
  return undefined;
}

export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 253) return `is ${name.length} characters long (at most 253)`;
  if (!subdomain.test(name)) return 'must be lower-case letters, digits, "-" and ".", each part starting and ending with a letter or digit (DNS-1123 subdomain)';
  return undefined;
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
