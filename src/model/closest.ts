/** Edits (insert, delete, replace) that turn `a` into `b`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The known name a misspelt one was most likely meant to be: same letters in another case, or within a third of its
 * length in edits (as TypeScript's own "Did you mean" allows). Undefined when nothing is that close.
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const sameLetters = known.find((k) => k.toLowerCase() === name.toLowerCase());
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best;
}
