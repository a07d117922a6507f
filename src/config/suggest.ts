/**
 * "Did you mean …?" for unknown keys: the closest valid key by edit distance, when it is close
 * enough to be a typo (or differs only in case), else nothing — a far-fetched guess misleads.
 */

/** Levenshtein distance (insert, delete, substitute; each costs 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const cur = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate nearest to `word`, or undefined when none is within roughly a third of the
 * word's length (at least 1, at most 3 edits). Comparison ignores case and `-`/`_`.
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const w = norm(word);
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  let best: { key: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d <= limit && (best === undefined || d < best.d)) best = { key: c, d };
  }
  return best?.key;
}
