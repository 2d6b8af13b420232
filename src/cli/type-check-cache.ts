import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { runsFromSources } from '../package-info.js';

/**
 * What makes a warm type check cheap: a record of every file the last clean check read (the program, its imports,
 * its tsconfig chain) with their hashes. When none changed, the check is not run at all and the TypeScript compiler is
 * not even loaded. Kept with TypeScript's build info in node_modules/.cache/p2c beside the program (else the temp
 * folder), one pair per program and tsconfig.
 */
export interface TypeCheckCache {
  readonly record: string;
  readonly buildInfo: string;
}

interface CleanRecord {
  readonly typescript: string;
  readonly fromSources: boolean;
  readonly files: Record<string, string>;
}

/** JavaScript meshes have no types to check; their props are validated at run time. */
export const isTypeScript = (file: string): boolean => /\.[cm]?tsx?$/.test(file);

export function cacheOf(file: string): TypeCheckCache {
  let root: string | undefined;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules'))) {
      root = path.join(dir, 'node_modules', '.cache', 'p2c');
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  root ??= path.join(os.tmpdir(), 'p2c-cache');
  fs.mkdirSync(root, { recursive: true });
  const key = createHash('sha256').update(file).digest('hex').slice(0, 16);
  return { record: path.join(root, `${key}.clean.json`), buildInfo: path.join(root, `${key}.tsbuildinfo`) };
}

const typescriptVersion = (): string =>
  (JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('typescript/package.json'), 'utf8')) as { version: string }).version;

const hashOf = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

/** The nearest tsconfig.json, as TypeScript finds it: a new one between the program and the recorded one counts. */
function nearestConfig(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

export function unchangedSinceClean(cache: TypeCheckCache, file: string): boolean {
  try {
    const record = JSON.parse(fs.readFileSync(cache.record, 'utf8')) as CleanRecord;
    if (record.typescript !== typescriptVersion() || record.fromSources !== runsFromSources) return false;
    const config = nearestConfig(file);
    if (config ? !(config in record.files) : Object.keys(record.files).some((f) => f.endsWith('tsconfig.json'))) return false;
    return Object.entries(record.files).every(([f, h]) => hashOf(f) === h);
  } catch {
    return false; // no record yet, or a file of the last program is gone
  }
}

export function recordClean(cache: TypeCheckCache, files: readonly string[]): void {
  const record: CleanRecord = {
    typescript: typescriptVersion(),
    fromSources: runsFromSources,
    files: Object.fromEntries(files.map((f) => [path.resolve(f), hashOf(f)])),
  };
  const temp = `${cache.record}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify(record));
  fs.renameSync(temp, cache.record);
}
