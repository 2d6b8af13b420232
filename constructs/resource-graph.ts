import { DeclaredConstruct } from './declared.js';
import type { ComputeCluster } from './compute-cluster.js';

type Json = { [key: string]: unknown };

export interface GraphResource {
  /** Unique id; other resources reference it as `${id.…}`. */
  readonly id: string;
  /** The object to create; exactly one of template/externalRef. */
  readonly template?: Json;
  /** An existing object to read. */
  readonly externalRef?: Json;
  /** CEL conditions for readiness. @default none */
  readonly readyWhen?: readonly string[];
  /** CEL conditions for creating it at all. @default none */
  readonly includeWhen?: readonly string[];
  /**
   * Makes the resource a collection: one object per element, each entry naming an iterator and the list it walks
   * (`[{ zone: '${schema.spec.zones}' }]`); the template reads the iterator as `${zone}`. @default one object
   */
  readonly forEach?: readonly Readonly<Record<string, string>>[];
}

export interface ResourceGraphProps {
  /** RGD name. @default `<lower-case kind plural>.<group>` */
  readonly name?: string;
  /** The API the graph serves. `spec`/`status`/`types` are KRO SimpleSchema. */
  readonly schema: {
    readonly apiVersion: string; readonly kind: string; readonly group?: string; readonly spec?: Json; readonly status?: Json; readonly types?: Json;
    /** Scope of the kind kro makes (immutable once set). @default 'Namespaced' */
    readonly scope?: 'Namespaced' | 'Cluster';
  };
  readonly resources: readonly GraphResource[];
}

/** A KRO ResourceGraphDefinition in a compute cluster. */
export class ResourceGraph extends DeclaredConstruct<ResourceGraphProps> {
  constructor(readonly cluster: ComputeCluster, id: string, props: ResourceGraphProps) {
    super(cluster, id, props);
  }
}
