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
    ...(origin?.path ? { constructPath: origin.path } : {}),
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

/** Splits `file:line` so line 6 sorts before line 14 of the same file. */
function place(location: string | undefined): [string, number] {
  if (!location) return ['\uffff', 0];
  const m = /^(.*):(\d+)$/.exec(location);
  return m ? [m[1]!, Number(m[2])] : [location, 0];
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by file, then line as a number, then construct path, code and message: stable whatever order checks ran in. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const keyed = list.map((d) => ({ d, at: place(d.location), rest: `${d.constructPath ?? ''}\u0000${d.code}\u0000${d.message}` }));
  keyed.sort((a, b) => compareStrings(a.at[0], b.at[0]) || a.at[1] - b.at[1] || compareStrings(a.rest, b.rest));
  return keyed.map((k) => k.d);
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
