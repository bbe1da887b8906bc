// Search in a run's log: the query is sent to the backend (which searches the whole stored log)
// a moment after typing stops, or at once on Enter; the answer is the matching lines' seqs and a
// total. next()/prev() walk through them and resolve with the seq to show. A live log that has
// grown since the search is searched again when the walk passes its last match.
import { computed, onScopeDispose, ref, shallowRef, watch } from "vue";
import { runLogSearch, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { LogSearch } from "@/bindings/LogSearch";
import { firstMatchFrom, SEARCH_LIMIT, stepMatch, type SearchMatches } from "@/lib/logSearch";

export const SEARCH_DEBOUNCE_MS = 250;

export function useLogSearch(
  runId: () => number,
  /** Lines in the log now. */
  lineCount: () => number,
  /** Seq of the first line in view: a new search starts at the first match from there. */
  topSeq: () => number,
  /** Called with the seq of the match to show. */
  show: (seq: number) => void,
  /** How to search (default: the run's whole log; a step's log maps the matches to its lines). */
  searchLog: (query: string, limit: number) => Promise<LogSearch> = (q, limit) =>
    runLogSearch(runId(), q, limit),
) {
  const query = ref("");
  /** The query the current matches belong to (what is highlighted). */
  const applied = ref("");
  const matches = shallowRef<SearchMatches | null>(null);
  const index = ref(-1);
  const searching = ref(false);
  const error = ref<ApiError | null>(null);
  let searchedCount = 0;
  let token = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const currentSeq = computed(() => matches.value?.seqs[index.value] ?? null);
  const total = computed(() => matches.value?.total ?? 0);

  function cancelTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  /** Searches now; shows the first match at or after `fromSeq`. */
  async function run(fromSeq: number): Promise<void> {
    cancelTimer();
    const text = query.value;
    const mine = ++token;
    if (text.trim() === "") {
      matches.value = null;
      applied.value = "";
      index.value = -1;
      searching.value = false;
      return;
    }
    searching.value = true;
    error.value = null;
    const counted = lineCount();
    try {
      const result = await searchLog(text, SEARCH_LIMIT);
      if (mine !== token) return;
      matches.value = result;
      applied.value = text;
      searchedCount = counted;
      index.value = firstMatchFrom(result.seqs, fromSeq);
      if (currentSeq.value !== null) show(currentSeq.value);
    } catch (e) {
      if (mine === token) error.value = toApiError(e);
    } finally {
      if (mine === token) searching.value = false;
    }
  }

  watch(query, () => {
    cancelTimer();
    timer = setTimeout(() => void run(topSeq()), SEARCH_DEBOUNCE_MS);
  });

  async function step(delta: 1 | -1): Promise<void> {
    const m = matches.value;
    if (!m || applied.value !== query.value) return run(topSeq());
    const last = index.value === m.seqs.length - 1;
    if (delta === 1 && last && lineCount() > searchedCount) {
      return run((currentSeq.value ?? 0) + 1);
    }
    index.value = stepMatch(index.value, m.seqs.length, delta);
    if (currentSeq.value !== null) show(currentSeq.value);
  }

  function clear(): void {
    query.value = "";
    void run(0);
  }

  onScopeDispose(() => {
    cancelTimer();
    token++;
  });

  return {
    query,
    applied,
    matches,
    index,
    total,
    currentSeq,
    searching,
    error,
    next: () => step(1),
    prev: () => step(-1),
    clear,
  };
}
