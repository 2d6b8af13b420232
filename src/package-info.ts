import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of p2c's own package.json, found by walking up from this file: the same answer whether p2c runs from
 * its sources (src/package-info.ts) or from the compiled package (lib/src/package-info.js).
 */
function findRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'p2c') return dir;
    if (path.dirname(dir) === dir) throw new Error('p2c: cannot find its own package.json');
  }
}

export const packageRoot = findRoot();

/** p2c's version, as its package.json says: printed by --version and recorded in the output. */
export const packageVersion = (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Whether p2c runs from its sources (a clone, no build): `import 'p2c'` then resolves with the p2c-source condition. */
export const runsFromSources = import.meta.url.endsWith('.ts');
