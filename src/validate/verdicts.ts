import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '../package-info.js';
import { trustedCacheDir, untrusted, type SchemaCatalog } from './schema-catalog.js';
import { throughNoLink } from '../output/write.js';

/**
 * Objects an earlier synth found valid, so an unchanged object is not validated again. An entry is an HMAC of the
 * object's content under a key only the user can read (in their cache home, beside the compiled validators), so a
 * verdicts file that came from anywhere else (a commit, another user, an edit) matches nothing and costs only time:
 * no one without the key can make p2c skip an object's checks. The HMAC also covers a fingerprint of everything
 * a verdict depends on (p2c's code, the schemas, the validator libraries), so any change there misses every entry.
 */
export const verdictsFile = '.p2c/verdicts';

const require = createRequire(import.meta.url);
const header = 'p2c verdicts v1';

function libraryVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** p2c's own code (every file of the src folder this runs from, sources or compiled), hashed once per process. */
let codeHash: string | undefined;
function hashOfCode(): string {
  if (codeHash) return codeHash;
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, e.name);
      if (e.isDirectory()) walk(file);
      else if (e.isFile()) hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file)).update('\0');
    }
  };
  walk(root);
  return (codeHash = hash.digest('hex'));
}

/** The key verdicts are signed with, made once per user; undefined when the cache home cannot be trusted. */
function signingKey(): Buffer | undefined {
  const dir = trustedCacheDir();
  if (!dir) return undefined;
  const file = path.join(dir, 'verdict-key');
  for (let attempt = 0; attempt < 2; attempt++) {
    const why = untrusted(file, 'file');
    if (why === undefined) {
      const key = fs.readFileSync(file);
      if (key.length >= 32) return key;
      return undefined;
    }
    if (why !== 'missing') return undefined;
    try {
      fs.writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch {
      // another synth made it first: read theirs
    }
  }
  return undefined;
}

/** The key and fingerprint entries are made with. */
export interface Signer {
  readonly key: Uint8Array;
  readonly fingerprint: string;
}

export function verdictEntry(signer: Signer, object: unknown, context: string): string {
  // One update: each call into the hash costs more than joining the strings here.
  return createHmac('sha256', signer.key).update(`${signer.fingerprint}\0${context}\0${JSON.stringify(object)}`).digest('base64url').slice(0, 32);
}

export class VerdictCache {
  private readonly passed: ReadonlySet<string>;
  private readonly now = new Set<string>();
  /** Each object's entry, once it has passed (read back when its folder's file is written). */
  private readonly entries = new WeakMap<object, string>();
  /** Folders of the output already checked for symbolic links. */
  private readonly seen = new Set<string>();
  /** Files taken unchanged from the last synth, not rendered again. */
  reused = 0;

  private constructor(
    private readonly key: Uint8Array,
    private readonly fingerprint: string,
    previous: ReadonlySet<string>,
    private readonly outDir: string,
  ) {
    this.passed = previous;
  }

  /**
   * The verdicts kept in `outDir`, or an empty cache when there are none (or none that can be used); undefined
   * when no signing key can be trusted, and then every object is validated.
   */
  static open(outDir: string, catalog: SchemaCatalog): VerdictCache | undefined {
    const key = signingKey();
    if (!key) return undefined;
    const fingerprint = [packageVersion, hashOfCode(), catalog.fingerprint, ...['ajv', 'kubernetes-models', '@bufbuild/cel'].map((n) => `${n}@${libraryVersion(n)}`)].join(' ');
    let previous = new Set<string>();
    let file: string | undefined;
    try {
      file = throughNoLink(path.resolve(outDir), verdictsFile, new Set());
    } catch {
      file = undefined;
    }
    if (file && untrusted(file, 'file') === undefined) {
      try {
        const lines = fs.readFileSync(file, 'utf8').split('\n');
        if (lines[0] === header) previous = new Set(lines.slice(1).filter((l) => l.length > 0));
      } catch {
        // unreadable: validate everything
      }
    }
    return new VerdictCache(key, fingerprint, previous, outDir);
  }

  /** The entry of an object's verdict: its content and whatever else the verdict depends on (`context`). */
  entryOf(object: unknown, context: string): string {
    return verdictEntry(this.signer, object, context);
  }

  /** What makes entries, for a worker thread of this process to make them too. */
  get signer(): Signer {
    return { key: this.key, fingerprint: this.fingerprint };
  }

  /** Whether any verdict was read (else no object can be skipped, and entries may be made after validating). */
  get empty(): boolean {
    return this.passed.size === 0;
  }

  /** Whether an earlier synth found the object of this entry valid. */
  hasPassed(entry: string, object: object): boolean {
    if (!this.passed.has(entry)) return false;
    this.pass(entry, object);
    return true;
  }

  /** Records that the object of this entry has no findings. */
  pass(entry: string, object: object): void {
    this.now.add(entry);
    this.entries.set(object, entry);
  }

  /**
   * The file at `file` in the output as the last synth wrote it from these same objects (in this order), so it need
   * not be rendered again; undefined when any object has no verdict, or the file is not what that synth wrote.
   * Its entry covers the path, the objects' entries and the file's hash: only this user's p2c can have made it.
   */
  writtenBefore(file: string, objects: readonly object[]): string | undefined {
    const entries = objects.map((o) => this.entries.get(o));
    if (entries.some((e) => e === undefined)) return undefined;
    let content: string;
    try {
      // Never through a link (a committed one could point at /dev/zero or out of the output), only a plain file.
      const abs = throughNoLink(path.resolve(this.outDir), file, this.seen);
      if (!fs.lstatSync(abs).isFile()) return undefined;
      content = fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
    const entry = this.fileEntry(file, entries as string[], content);
    if (!this.passed.has(entry)) return undefined;
    this.now.add(entry);
    this.reused++;
    return content;
  }

  /** Records that `content` is what `file` holds when rendered from these objects (each with a verdict). */
  wrote(file: string, objects: readonly object[], content: string): void {
    const entries = objects.map((o) => this.entries.get(o));
    if (entries.every((e) => e !== undefined)) this.now.add(this.fileEntry(file, entries as string[], content));
  }

  private fileEntry(file: string, entries: readonly string[], content: string): string {
    const hash = createHash('sha256').update(content).digest('base64url');
    return createHmac('sha256', this.key).update(this.fingerprint).update('\0file\0').update(file).update('\0').update(entries.join(',')).update('\0').update(hash).digest('base64url').slice(0, 32);
  }

  /** Writes this synth's verdicts (only those of the objects it saw) when they differ from the ones read. */
  save(outDir: string): void {
    if (this.now.size === this.passed.size && [...this.now].every((e) => this.passed.has(e))) return;
    const root = path.resolve(outDir);
    let tmp: string | undefined;
    try {
      // Like every write into the output: never through a link, and new files only created (O_EXCL), never followed.
      const file = throughNoLink(root, verdictsFile, new Set());
      tmp = throughNoLink(root, `${verdictsFile}.${process.pid}.tmp`, new Set());
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.rmSync(tmp, { force: true });
      fs.writeFileSync(tmp, `${header}\n${[...this.now].sort().join('\n')}\n`, { mode: 0o600, flag: 'wx' });
      fs.renameSync(tmp, file);
      // Verdicts are this user's alone (no one else's key matches them): never part of a commit.
      const ignore = throughNoLink(root, '.p2c/.gitignore', new Set());
      if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, `${path.basename(file)}\n${path.basename(file)}.*\n.gitignore\n`, { mode: 0o600, flag: 'wx' });
    } catch {
      // verdicts that cannot be kept only cost time next run
      if (tmp) fs.rmSync(tmp, { force: true });
    }
  }
}
