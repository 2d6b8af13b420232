import { DeclaredConstruct } from './declared.js';
import type { ProvidedAPI } from './provided-api.js';
import type { Operator } from './operator.js';
import type { ExternalExport } from './external-export.js';

/** An APIExport named by workspace path and name, e.g. `{ path: 'root:team:database', name: 'database.example.com' }`. */
export interface ExportReference {
  readonly path: string;
  readonly name: string;
}

export interface BindingProps {
  /** The API to bind: a ProvidedAPI or Operator of this mesh, an ExternalExport, or a reference to an export. */
  readonly api: ProvidedAPI | Operator | ExternalExport | ExportReference;
  /**
   * Permission claims this consumer accepts, as `resource` or `resource.group`
   * (`events`, `namespaces`, `secrets`, `logicalclusters.core.kcp.io`). Every claim the
   * export makes must be accepted or rejected: p2c never accepts on your behalf.
   */
  readonly acceptClaims: readonly string[];
  /** Claims this consumer rejects. @default none */
  readonly rejectClaims?: readonly string[];
  /** APIBinding name. @default the export name */
  readonly name?: string;
}

/** A consumer team's APIBinding of a provided API, written into the team's workspace. */
export class Binding extends DeclaredConstruct<BindingProps> {}
