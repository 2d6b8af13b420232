import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ResolvedMesh } from '../resolve/resolve.js';
import { unknownExport } from './unknown-export.js';
import type { Rule } from './rules.js';

/**
 * WorkspaceTypes: default bindings whose every claim the type accepts (names and uniqueness are the names and
 * uniqueness rules').
 * kcp's initializer accepts all claims of a default binding on every new workspace's behalf (kcp v0.32.0
 * pkg/reconciler/tenancy/initialization/apibinder_initializer_reconcile.go), so the type must say it does.
 */
export const workspaceTypes: Rule = (mesh: ResolvedMesh) => {
  const out: Diagnostic[] = [];
  for (const t of mesh.workspaceTypes) {
    for (const d of t.defaultBindings) {
      if (!d.target) {
        out.push(unknownExport(mesh, d.export, d.origin));
        continue;
      }
      const made = new Set(d.target.claims.map((c) => c.key));
      for (const c of d.target.claims) {
        if (!d.accept.includes(c.key)) {
          out.push(diagnostic('unacceptedClaim', d.origin, `WorkspaceType '${t.name}' binds '${d.target.name}' into every workspace of the type, and kcp accepts its claim '${c.key}' (${c.reason}) for all of them, unasked`,
            `add '${c.key}' to that default binding's acceptClaims, or bind the export per team instead`));
        }
      }
      for (const k of d.accept) {
        if (!made.has(k)) out.push(diagnostic('unknownClaim', d.origin, `WorkspaceType '${t.name}' accepts claim '${k}', which '${d.target.name}' does not make`, `the export claims: ${[...made].join(', ') || 'nothing'}`));
      }
    }
  }
  // kcp already bound the export while initializing the workspace: a second APIBinding of it is one too many.
  const byDefault = new Map(mesh.defaultBindings.filter((d) => d.target).map((d) => [`${d.workspacePath}|${d.target!.key}`, d] as const));
  for (const b of mesh.bindings) {
    const d = b.target && b.workspacePath ? byDefault.get(`${b.workspacePath}|${b.target.key}`) : undefined;
    if (d) out.push(diagnostic('duplicateName', b.origin, `binding '${b.name}' binds '${b.target!.name}' into ${b.workspacePath}, which WorkspaceType '${d.workspaceType}' binds there by default already`, 'drop this binding: the workspace has the API from its type'));
  }
  return out;
};
