import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The upstream CRDs, the oracle for every emitted object. Never copied into the project. */
export const upstreamCrds = process.env['P2C_UPSTREAM_CRDS'] ?? path.resolve(repoRoot, '../shared/crds');
export const cli = path.join(repoRoot, 'bin/p2c.js');
export const example = (name: string) => path.join(repoRoot, 'examples', name, 'mesh.ts');
