import { createRequire } from 'node:module';
import { groupOf } from '../model/collections.js';

const require = createRequire(import.meta.url);

type ModelClass = new (data: unknown) => { validate(): void };
const models = new Map<string, ModelClass | null>();

/**
 * Built-in Kubernetes kinds are checked with kubernetes-models, whose validators are
 * generated from the Kubernetes OpenAPI spec.
 */
function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
    let model: ModelClass | null = null;
    // Built-in groups are the core group, dot-less ones (apps, batch) and *.k8s.io; anything else
    // is a custom resource, so no module lookup (a failed require costs an exception).
    const group = groupOf(apiVersion);
    const builtin = !group.includes('.') || group.endsWith('.k8s.io');
    if (builtin && /^[A-Za-z0-9./-]+$/.test(key)) {
      try {
        model = (require(modulePath) as Record<string, ModelClass>)[kind] ?? null;
      } catch {
        model = null;
      }
    }
    models.set(key, model);
  }
  return models.get(key)!;
}

export function isCoreKind(apiVersion: string, kind: string): boolean {
  return modelFor(apiVersion, kind) !== null;
}

/** Problems as `field: message`; undefined when the kind is not a built-in one. */
export function validateCoreObject(object: { apiVersion: string; kind: string }): string[] | undefined {
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) return undefined;
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: Array<{ instancePath?: string; message?: string }> }).errors;
    if (errors?.length) return errors.map((x) => `${x.instancePath || '/'}: ${x.message}`);
    return [(e as Error).message];
  }
}
