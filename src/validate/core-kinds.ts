import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { groupOf } from '../model/collections.js';
import { formatProblem, fromAjv, type SchemaProblem } from './schema-catalog.js';

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
  return coreProblems(object)?.map(formatProblem);
}

/** The same problems with their JSON pointer and failed keyword. */
export function coreProblems(object: { apiVersion: string; kind: string }): SchemaProblem[] | undefined {
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) return undefined;
  try {
    new Model(object).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: ErrorObject[] }).errors;
    if (errors?.length) return fromAjv(errors, false);
    return [{ path: '/', keyword: 'model', message: (e as Error).message }];
  }
}

/**
 * Built-in API versions Kubernetes stopped serving (the deprecated API migration guide,
 * kubernetes.io/docs/reference/using-api/deprecation-guide): `*` for every kind of the version.
 */
const removed: ReadonlyMap<string, { kinds: ReadonlySet<string> | '*'; release: string }> = new Map([
  ['extensions/v1beta1', { kinds: '*', release: '1.22' }],
  ['apps/v1beta1', { kinds: '*', release: '1.16' }],
  ['apps/v1beta2', { kinds: '*', release: '1.16' }],
  ['apiextensions.k8s.io/v1beta1', { kinds: '*', release: '1.22' }],
  ['apiregistration.k8s.io/v1beta1', { kinds: '*', release: '1.22' }],
  ['rbac.authorization.k8s.io/v1beta1', { kinds: '*', release: '1.22' }],
  ['rbac.authorization.k8s.io/v1alpha1', { kinds: '*', release: '1.22' }],
  ['authentication.k8s.io/v1beta1', { kinds: new Set(['TokenReview']), release: '1.22' }],
  ['authorization.k8s.io/v1beta1', { kinds: '*', release: '1.22' }],
  ['coordination.k8s.io/v1beta1', { kinds: new Set(['Lease']), release: '1.22' }],
  ['scheduling.k8s.io/v1beta1', { kinds: new Set(['PriorityClass']), release: '1.22' }],
  ['certificates.k8s.io/v1beta1', { kinds: new Set(['CertificateSigningRequest']), release: '1.22' }],
  ['networking.k8s.io/v1beta1', { kinds: new Set(['Ingress', 'IngressClass']), release: '1.22' }],
  ['admissionregistration.k8s.io/v1beta1', { kinds: new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']), release: '1.22' }],
  ['storage.k8s.io/v1beta1', { kinds: new Set(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'CSIStorageCapacity']), release: '1.22' }],
  ['batch/v1beta1', { kinds: new Set(['CronJob']), release: '1.25' }],
  ['policy/v1beta1', { kinds: new Set(['PodDisruptionBudget', 'PodSecurityPolicy']), release: '1.25' }],
  ['autoscaling/v2beta1', { kinds: new Set(['HorizontalPodAutoscaler']), release: '1.25' }],
  ['autoscaling/v2beta2', { kinds: new Set(['HorizontalPodAutoscaler']), release: '1.26' }],
  ['discovery.k8s.io/v1beta1', { kinds: new Set(['EndpointSlice']), release: '1.25' }],
  ['events.k8s.io/v1beta1', { kinds: new Set(['Event']), release: '1.25' }],
  ['node.k8s.io/v1beta1', { kinds: new Set(['RuntimeClass']), release: '1.25' }],
  ['flowcontrol.apiserver.k8s.io/v1beta1', { kinds: '*', release: '1.26' }],
  ['flowcontrol.apiserver.k8s.io/v1beta2', { kinds: '*', release: '1.29' }],
]);

/** The Kubernetes release that stopped serving this kind at this version, if it did. */
export function removedIn(apiVersion: string, kind: string): string | undefined {
  const r = removed.get(apiVersion);
  return r && (r.kinds === '*' || r.kinds.has(kind)) ? r.release : undefined;
}

/** API groups only Kubernetes itself serves (no CRD may use them), so an unknown kind or version there is a mistake. */
const builtInGroups: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions', 'apiextensions.k8s.io', 'rbac.authorization.k8s.io',
  'networking.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io', 'coordination.k8s.io', 'scheduling.k8s.io', 'certificates.k8s.io',
  'discovery.k8s.io', 'events.k8s.io', 'node.k8s.io', 'flowcontrol.apiserver.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'apiregistration.k8s.io', 'resource.k8s.io']);

/** Whether only Kubernetes itself serves this apiVersion's group, so an unknown kind or version there is a mistake. */
export function servedOnlyByKubernetes(apiVersion: string): boolean {
  return builtInGroups.has(groupOf(apiVersion));
}
