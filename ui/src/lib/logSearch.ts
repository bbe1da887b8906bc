// Search in a run's log, on the client side of a server-side search: the backend returns the seqs
// of the matching lines (the first `limit` of them) and how many match in all; this module walks
// through them (next/previous wrap around) and marks the matches inside a rendered line.

/** Most matches fetched at once; the count still says how many there are in all. */
export const SEARCH_LIMIT = 100_000;

export interface SearchMatches {
  seqs: readonly number[];
  total: number;
}

/** Index of the first match at or below `fromSeq` in the log, or the first one; -1 when none. */
export function firstMatchFrom(seqs: readonly number[], fromSeq: number): number {
  if (seqs.length === 0) return -1;
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((seqs[mid] ?? 0) < fromSeq) lo = mid + 1;
    else hi = mid;
  }
  return lo < seqs.length ? lo : 0;
}

/** The next (delta 1) or previous (delta -1) match, wrapping around; -1 when there is none. */
export function stepMatch(index: number, length: number, delta: 1 | -1): number {
  if (length === 0) return -1;
  if (index < 0) return delta === 1 ? 0 : length - 1;
  return (index + delta + length) % length;
}

/** Where `query` occurs in `text`, case-insensitively, as [start, end) pairs that do not overlap. */
export function matchRanges(text: string, query: string): Array<[number, number]> {
  if (!query) return [];
  const hay = text.toLowerCase();
  const needle = query.toLowerCase();
  // Lower-casing keeps the length for nearly all text; when it does not, marks are skipped.
  if (hay.length !== text.length || needle.length !== query.length) return [];
  const out: Array<[number, number]> = [];
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
    out.push([at, at + needle.length]);
  }
  return out;
}
