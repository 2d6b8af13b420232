import { checks, type CheckId } from './codes.js';
import type { Origin } from '../model/origin.js';
import { unsafeCharacterSource } from '../model/characters.js';

/** One problem found in a mesh. All phases report through this shape so the CLI prints them alike. */
export interface Diagnostic {
  readonly code: string;
  readonly name: string;
  readonly message: string;
  /** How to fix it, when there is a clear way. */
  readonly hint?: string;
  /** Construct path, e.g. `mesh/webshop/postgres`. */
  readonly constructPath?: string;
  /** The user's file:line where the construct was declared. */
  readonly location?: string;
  /** A warning says what will not work, but does not stop the synth. @default an error */
  readonly severity?: 'warning';
}

export function diagnostic(check: CheckId, origin: Origin | undefined, message: string, hint?: string): Diagnostic {
  const def = checks[check];
  return {
    code: def.code,
    name: def.name,
    message,
    ...(hint ? { hint } : {}),
    ...(origin ? { constructPath: origin.path } : {}),
    ...(origin?.location ? { location: origin.location() } : {}),
  };
}

/** A finding that does not stop the synth: something the mesh allows that will not work as a reader may expect. */
export function warning(check: CheckId, origin: Origin | undefined, message: string, hint?: string): Diagnostic {
  return { ...diagnostic(check, origin, message, hint), severity: 'warning' };
}

/** Thrown by the pipeline when a phase ends with problems; carries every problem found. */
export class MeshError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`${diagnostics.length} problem(s) in the mesh`);
    this.name = 'MeshError';
  }
}

/** Sorts by location so output is stable whatever order the checks ran in. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.location ?? '~'}\u0000${d.constructPath ?? ''}\u0000${d.code}\u0000${d.message}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

// What kubectl refuses, and a carriage return, which would let a value rewrite the terminal line.
const shownEscaped = new RegExp(`${unsafeCharacterSource}|\\r`, 'g');

/** Names and values from the mesh are shown, never obeyed: control characters (a terminal escape) become \u{…}. */
function visible(text: string): string {
  return text.replace(shownEscaped, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.location, d.constructPath ? `[${d.constructPath}]` : undefined].filter(Boolean).join(' ');
  const head = visible(`${where ? where + ': ' : ''}${d.severity ?? 'error'} ${d.code} ${d.name}: ${d.message}`);
  return d.hint ? `${head}\n    fix: ${visible(d.hint)}` : head;
}
