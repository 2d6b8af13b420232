import { configMapKeyProblem, dns1035Problem, dnsLabelProblem, dnsSubdomainProblem, labelValueProblem, qualifiedNameProblem } from '../check/names.js';
import type { KubeObject } from '../model/mesh.js';
import { unsafeCharacterSource } from '../model/characters.js';

/** apimachinery TotalAnnotationSizeLimitB: keys and values of one object's annotations together. */
export const annotationsLimit = 256 * 1024;

const unsafeCharacter = new RegExp(unsafeCharacterSource);

function codePoint(s: string): string {
  const m = unsafeCharacter.exec(s)!;
  return `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every string (keys included) with a character kubectl would refuse or change: `/path: why`. */
export function unsafeCharacterProblems(o: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      if (unsafeCharacter.test(v)) out.push(`${at || '/'}: holds the control character ${codePoint(v)}, which kubectl refuses or reads as a line break; remove or replace it`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (unsafeCharacter.test(k)) out.push(`${at}/${JSON.stringify(k).slice(1, -1)}: the key holds the control character ${codePoint(k)}`);
        walk(x, `${at}/${k}`);
      }
    }
  };
  walk(o, '');
  return out;
}

function labelProblems(labels: unknown, at: string, out: string[]): void {
  if (labels === null || typeof labels !== 'object') return;
  for (const [k, v] of Object.entries(labels)) {
    const pk = qualifiedNameProblem(k);
    if (pk) out.push(`${at}: key '${k}' ${pk}`);
    const pv = typeof v === 'string' ? labelValueProblem(v) : 'is not a string';
    if (pv) out.push(`${at}/${k}: value '${String(v)}' ${pv}`);
  }
}

/**
 * What the API server checks inside built-in objects beyond their schema: labels of embedded pod templates,
 * label selectors, container names, and that a workload's selector matches its template
 * (kubernetes pkg/apis/apps/validation: "selector does not match template labels").
 */
export function nestedProblems(o: KubeObject): string[] {
  const out: string[] = [];
  // A CRD's schema names `metadata` and `matchLabels` as properties, not as values.
  if (o.kind === 'CustomResourceDefinition') return out;
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${at}/${i}`));
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const here = `${at}/${k}`;
      if (k === 'metadata' && at !== '' && x !== null && typeof x === 'object') labelProblems((x as { labels?: unknown }).labels, `${here}/labels`, out);
      if (k === 'matchLabels') labelProblems(x, here, out);
      if ((k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') && Array.isArray(x)) {
        const seen = new Set<string>();
        for (const [i, c] of x.entries()) {
          const name = (c as { name?: unknown } | null)?.name;
          if (typeof name !== 'string') continue;
          const p = dnsLabelProblem(name);
          if (p) out.push(`${here}/${i}/name: '${name}' ${p}`);
          if (seen.has(name)) out.push(`${here}/${i}/name: '${name}' appears twice`);
          seen.add(name);
        }
      }
      walk(x, here);
    }
  };
  walk(o, '');
  const spec = (o as { spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { metadata?: { labels?: Record<string, string> } } } }).spec;
  const workload = o.apiVersion === 'apps/v1' && ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(o.kind);
  const match = spec?.selector?.matchLabels;
  if (workload && match && typeof match === 'object') {
    const labels = spec?.template?.metadata?.labels ?? {};
    const missing = Object.entries(match).filter(([k, v]) => labels[k] !== v).map(([k]) => k);
    if (missing.length) out.push(`/spec/selector: does not match the template's labels (${missing.join(', ')}); the API server refuses it`);
  }
  return out;
}

/** Built-in kinds whose names are DNS-1035 labels (kubernetes pkg/apis/core/validation: ValidateServiceName). */
const dns1035Named = new Set(['v1/Service']);
/** Built-in kinds whose names are DNS-1123 labels. */
const labelNamed = new Set(['v1/Namespace']);

/**
 * The API server's ObjectMeta and name rules for any object (the OpenAPI schemas do not carry them):
 * apimachinery pkg/api/validation/objectmeta.go and pkg/util/validation/validation.go. `field: why`.
 */
export function objectMetaProblems(o: KubeObject, builtIn: boolean): string[] {
  const out: string[] = [];
  const m = o.metadata;
  const key = `${o.apiVersion}/${o.kind}`;
  if (o.apiVersion === 'rbac.authorization.k8s.io/v1') {
    if (m.name === '.' || m.name === '..' || /[/%]/.test(m.name)) out.push('/metadata/name: RBAC names may not be "." or ".." or contain "/" or "%"');
  } else {
    // Custom resources: the API server requires a path segment name, and every schema p2c knows asks for a subdomain.
    const p = dns1035Named.has(key) ? dns1035Problem(m.name) : labelNamed.has(key) ? dnsLabelProblem(m.name) : builtIn ? dnsSubdomainProblem(m.name) : m.name === '.' || m.name === '..' || /[/%]/.test(m.name) ? 'may not be "." or ".." or contain "/" or "%"' : undefined;
    if (p) out.push(`/metadata/name: ${p}`);
  }
  if (m.namespace !== undefined) {
    const p = dnsLabelProblem(m.namespace);
    if (p) out.push(`/metadata/namespace: ${p}`);
  }
  labelProblems(m.labels, '/metadata/labels', out);
  let size = 0;
  for (const [k, v] of Object.entries(m.annotations ?? {})) {
    // apimachinery ValidateAnnotations checks the key lower-cased: `Example.com/Key` is fine there.
    const pk = qualifiedNameProblem(k.toLowerCase());
    if (pk) out.push(`/metadata/annotations: key '${k}' ${pk}`);
    size += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0); // bytes, as the API server counts
  }
  if (size > annotationsLimit) out.push(`/metadata/annotations: ${size} bytes in all (at most ${annotationsLimit})`);
  if (o.apiVersion === 'v1' && (o.kind === 'ConfigMap' || o.kind === 'Secret')) {
    const keys = ['data', 'binaryData', 'stringData'].flatMap((f) => Object.keys(((o as Record<string, unknown>)[f] as object | undefined) ?? {}).map((k) => [f, k] as const));
    for (const [f, k] of keys) {
      const p = configMapKeyProblem(k);
      if (p) out.push(`/${f}: key '${k}' ${p}`);
    }
  }
  return out;
}
