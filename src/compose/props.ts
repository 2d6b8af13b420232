import type { Construct } from 'constructs';
import { declarationOf } from '../../constructs/declared.js';
import { diagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Props that failed their run-time check (P2C035), for every construct under `root`. Compose reads props as their
 * types say, so a mesh with any of these stops here, with all of them at once, before it is read.
 */
export function invalidPropsOf(root: Construct): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const c of root.node.findAll()) {
    const d = declarationOf(c);
    for (const p of d?.problems ?? []) if (p.check === 'invalidProps') found.push(diagnostic(p.check, d!.origin, p.message, p.hint));
  }
  return sortDiagnostics(found);
}
