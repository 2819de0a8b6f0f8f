/** "Did you mean" for misspelt names: the closest candidate within a couple of edits. */

// Suggestions only make sense for words of name-like length; this also bounds the quadratic work.
const MAX_SUGGESTION_INPUT = 40;

/**
 * The candidate closest to `word` (ignoring case) if it is close enough to be what was meant:
 * at most 1 edit for words of up to 4 characters, 2 for longer ones. Ties go to the earlier one.
 * Failing that, the one candidate `word` abbreviates (its letters in order, from the first:
 * `lvl` for `level`, `stg` for `staging`), when exactly one does.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  if (lower.length > MAX_SUGGESTION_INPUT) return undefined;
  const limit = lower.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  const abbreviated: string[] = [];
  for (const name of candidates) {
    const candidate = name.toLowerCase();
    const distance = editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
    if (lower.length >= 2 && candidate.length > lower.length && abbreviates(lower, candidate))
      abbreviated.push(name);
  }
  return best ?? (abbreviated.length === 1 ? abbreviated[0] : undefined);
}

/** Whether `short` is `long` with letters left out, starting with the same letter. */
function abbreviates(short: string, long: string): boolean {
  if (short[0] !== long[0]) return false;
  let at = 1;
  for (let i = 1; i < long.length && at < short.length; i++) if (long[i] === short[at]) at += 1;
  return at === short.length;
}

/** Optimal string alignment distance: Levenshtein plus swapping two neighbours (`sevreity`). */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      }
      current.push(value);
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}
