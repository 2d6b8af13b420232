import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Origin } from '../model/origin.js';
import type { ResolvedMesh } from '../resolve/resolve.js';

/** A binding (or default binding) names an export the mesh neither provides nor declares external. */
export function unknownExport(mesh: ResolvedMesh, ref: { path: string; name: string }, origin: Origin): Diagnostic {
  const known = mesh.exports.filter((e) => e.name === ref.name).map((e) => `${e.workspacePath}`);
  return diagnostic('unknownExport', origin, `no team provides APIExport '${ref.name}' in workspace '${ref.path}'`,
    known.length ? `'${ref.name}' is provided in ${known.join(', ')}` : 'bind a ProvidedAPI of this mesh or an ExternalExport (mesh.externalExport), or check the path and name');
}
