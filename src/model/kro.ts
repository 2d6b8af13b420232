import type { KroResourceModel } from './mesh.js';
import { groupOf } from './collections.js';

/** The group and kind a KRO resource creates or reads. */
export function templateKind(r: KroResourceModel): { group: string; kind: string; apiVersion: string } | undefined {
  const o = (r.template ?? r.externalRef) as { apiVersion?: unknown; kind?: unknown } | undefined;
  if (!o || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return undefined;
  return { group: groupOf(o.apiVersion), kind: o.kind, apiVersion: o.apiVersion };
}
