import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { KubeObject, ServiceResourceModel } from '../model/mesh.js';
import type { ResolvedMesh } from '../resolve/resolve.js';

type Schema = { type?: string; properties?: Record<string, Schema>; 'x-kubernetes-preserve-unknown-fields'?: boolean };

/**
 * What a field path names in every served version of a CRD: `string` when it is a string field everywhere, else
 * why not. api-syncagent and kube-bind read the related object's name from this path in each instance; a path that
 * names nothing (or an object) finds no name, silently, at run time.
 */
function fieldProblem(crd: KubeObject, dotted: string): string | undefined {
  const versions = (crd as { spec?: { versions?: Array<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }> } }).spec?.versions ?? [];
  for (const v of versions.filter((x) => x.served !== false)) {
    let node: Schema | undefined = v.schema?.openAPIV3Schema;
    for (const part of dotted.split('.')) {
      if (!node) break;
      if (node['x-kubernetes-preserve-unknown-fields'] && !node.properties?.[part]) return undefined; // free-form: cannot tell
      node = node.properties?.[part];
    }
    if (!node) return `${v.name} has no field ${dotted}`;
    if (node.type !== 'string') return `${dotted} is ${node.type ?? 'untyped'} in ${v.name}, not a string`;
  }
  return undefined;
}

function check(resources: readonly ServiceResourceModel[], reference: string, what: string, origin: Parameters<typeof diagnostic>[1], out: Diagnostic[]): void {
  for (const r of resources) {
    const p = fieldProblem(r.crd, reference);
    if (p) out.push(diagnostic('brokenReference', origin, `${what} reads a name from '${reference}' of ${r.kind}, but ${p}; no related object would ever be found`, `name a string field of ${r.kind}, e.g. spec.<field>`));
  }
}

/** Every reference a related resource or a kube-bind claim makes into the provider's CRD names a string field of it. */
export function referencesMatchContracts(mesh: ResolvedMesh): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of mesh.exports) {
    for (const rel of e.syncAgent?.related ?? []) {
      // The service cluster's CRDs: the agent reads references there, before any projection.
      const sources = e.syncAgent!.sources;
      const resources = sources.filter((r) => rel.kind === undefined || r.kind === rel.kind);
      if (rel.kind !== undefined && resources.length === 0) {
        out.push(diagnostic('brokenReference', e.origin, `related resource '${rel.identifier}' of ${e.name} belongs to kind ${rel.kind}, which ${e.name} does not serve`, `one of: ${sources.map((r) => r.kind).join(', ')}`));
        continue;
      }
      if (rel.reference !== undefined) check(resources, rel.reference, `related resource '${rel.identifier}' of ${e.name}`, e.origin, out);
    }
  }
  for (const o of mesh.kubeBindOffers) {
    if (o.api.type !== 'crd') continue;
    for (const c of o.claims) if (c.reference !== undefined) check(o.api.resources, c.reference, `kube-bind claim on ${c.resource} of offer ${o.name}`, o.origin, out);
  }
  return out;
}
