import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { coreRules, type Rule } from './rules.js';

/** Runs every graph rule and returns all problems found. */
export function checkMesh(mesh: ResolvedMesh, rules: readonly Rule[] = coreRules): Diagnostic[] {
  return rules.flatMap((rule) => rule(mesh));
}
