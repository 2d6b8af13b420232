import { createHash } from 'node:crypto';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest } from '../emit/manifest.js';
import type { KubeObject } from '../model/mesh.js';
import { describeObject, groupOf, kindKey } from '../model/collections.js';
import { baseTarget, folderTitle, folderOf } from '../model/target.js';
import { lookupKind } from '../resolve/availability.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { convertCrd, type CrdDocument } from '../crd-import/convert.js';
import { isCoreKind } from './core-kinds.js';
import { kcpWorkspaceGroups } from '../resolve/builtin-apis.js';
import { SchemaCatalog } from './schema-catalog.js';

/** One catalog per distinct CRD: the same kind may come from different CRDs in different places. */
const contracts = new Map<string, SchemaCatalog>();
const byObject = new WeakMap<KubeObject, SchemaCatalog>();
export function contractOf(crd: KubeObject): SchemaCatalog {
  const seen = byObject.get(crd);
  if (seen) return seen;
  const key = createHash('sha256').update(JSON.stringify(crd)).digest('hex');
  let c = contracts.get(key);
  if (!c) {
    // apiVersion and kind are checked against availability already; leaving them free lets CRDs of one shape share
    // one compiled validator.
    const entries = convertCrd(crd as unknown as CrdDocument).map((e) => {
      const props = { ...((e.schema['properties'] as Record<string, unknown>) ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' } };
      return { ...e, schema: { ...e.schema, properties: props } };
    });
    contracts.set(key, (c = new SchemaCatalog(entries)));
  }
  byObject.set(crd, c);
  return c;
}

/**
 * Every object of a custom kind p2c has no upstream schema for — an instance of a provider's API, a kind a graph
 * or someone else installs — is checked where it lands: its kind must exist there (bound, installed, declared),
 * at a served version, and it must satisfy that kind's CRD (structure, defaults, CEL rules).
 */
export function checkContracts(manifests: readonly Manifest[], mesh: ResolvedMesh, catalog: SchemaCatalog): Diagnostic[] {
  const out: Diagnostic[] = [];
  const providers = new Map<string, string[]>();
  for (const e of mesh.exports) for (const r of e.resources) (providers.get(kindKey(r.group, r.kind)) ?? providers.set(kindKey(r.group, r.kind), []).get(kindKey(r.group, r.kind))!).push(`${e.name} (in ${e.workspacePath ?? e.team})`);
  for (const m of manifests) {
    const o = m.object;
    if (m.target.type === 'gitops' || isCoreKind(o.apiVersion, o.kind) || catalog.has(o.apiVersion, o.kind)) continue;
    const group = groupOf(o.apiVersion);
    // kcp's own kinds, in every workspace; the cache.kcp.io CRDs are not among the vendored ones.
    if (m.target.type === 'workspace' && kcpWorkspaceGroups.has(group)) continue;
    const target = baseTarget(m.target);
    const where = folderTitle(folderOf(target));
    const what = `${describeObject(o.kind, o.metadata.name, o.metadata.namespace)} (${o.apiVersion})`;
    const there = lookupKind(mesh.availability, target, o.apiVersion, o.kind);
    if (there.found === 'missing') {
      const from = providers.get(kindKey(group, o.kind));
      const hint = from
        ? target.type === 'workspace' ? `bind the export serving it into this workspace: ${from.join(' or ')}` : `bind it into this cluster with kube-bind, or install its CRD here (it is served by ${from.join(', ')})`
        : `install its CRD here, or declare it with new InstalledAPI(${target.type === 'workspace' ? 'team.workspace' : 'cluster'}, '…', { group: '${group}', kinds: ['${o.kind}'] })`;
      out.push(diagnostic('unknownKind', m.origin, `${what} is not available in ${where}: nothing there serves ${group}/${o.kind}`, hint));
      continue;
    }
    const k = there.kind;
    if (there.found === 'unserved') {
      out.push(diagnostic('unknownKind', m.origin, `${what}: ${where} serves ${o.kind} only as ${k.versions.join(', ') || 'no version'} (${k.what})`, `use apiVersion ${group}/${k.versions[0] ?? '<served version>'}`));
      continue;
    }
    if (!k.crd) continue;
    for (const p of contractOf(k.crd).validate(o) ?? []) out.push(diagnostic('invalidObject', m.origin, `${what} in ${where} breaks the contract of ${k.what}: ${p}`));
  }
  return out;
}
