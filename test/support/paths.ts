import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The upstream CRDs, the oracle for every emitted object. Never copied into the project. */
export const upstreamCrds = process.env['P2C_UPSTREAM_CRDS'] ?? path.resolve(repoRoot, '../shared/crds');
/**
 * Whether the upstream CRDs are beside the clone. In a clone with nothing beside it they are not: the oracle is then
 * the project's schemas/ (derived from them by p2c import-crds, each with its CRD's sha256), and only the tests that
 * prove schemas/ fresh against upstream are skipped.
 */
export const haveUpstream = fs.existsSync(upstreamCrds);
export const cli = path.join(repoRoot, 'bin/p2c.js');
export const example = (name: string) => path.join(repoRoot, 'examples', name, 'mesh.ts');
