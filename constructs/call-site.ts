import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

// Frames from p2c itself are skipped so the reported line is the user's declaration: its constructs/ and src/,
// beside each other both in the sources and in the compiled package (dist/).
const constructsDir = path.dirname(fileURLToPath(import.meta.url));
const ownDirs = [constructsDir + path.sep, path.join(constructsDir, '..', 'src') + path.sep];

const framePattern = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

function userFrame(stack: string | undefined): string | undefined {
  if (!stack) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const m = framePattern.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (file.startsWith('node:') || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    if (ownDirs.some((dir) => file.startsWith(dir))) continue;
    // Classes `p2c types` generated are p2c's code too, wherever they live: the user's line is the caller's.
    if (file.endsWith('.p2c.ts') || file.endsWith('.p2c.js')) continue;
    const shown = path.relative(process.cwd(), file);
    return `${shown.startsWith('..') ? file : shown}:${m[2]}`;
  }
  return undefined;
}

/**
 * Captures the caller's position now and formats it on demand. V8 formats stacks lazily,
 * so a mesh of thousands of constructs pays for a capture, not for string building.
 */
export function captureCallSite(): () => string | undefined {
  const holder: { stack?: string } = {};
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  Error.captureStackTrace(holder, captureCallSite);
  Error.stackTraceLimit = previous;
  let cached: string | undefined | null = null;
  return () => (cached === null ? (cached = userFrame(holder.stack)) : cached);
}

/** The user's file that declared a construct, for resolving relative paths such as CRD files. */
export function callerFile(location: string | undefined): string | undefined {
  if (!location) return undefined;
  const i = location.lastIndexOf(':');
  return path.resolve(i > 0 ? location.slice(0, i) : location);
}
