import { afterEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick } from "vue";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { SEARCH_DEBOUNCE_MS, useLogSearch } from "./useLogSearch";

afterEach(() => {
  clearMocks();
  vi.useRealTimers();
});

function setup(seqs: number[], total = seqs.length, top = 1) {
  const queries: unknown[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "run_log_search") {
      queries.push(args);
      return { seqs, total };
    }
    return null;
  });
  const shown: number[] = [];
  let count = 1000;
  const scope = effectScope();
  const search = scope.run(() =>
    useLogSearch(
      () => 7,
      () => count,
      () => top,
      (seq) => shown.push(seq),
    ),
  )!;
  return { search, shown, queries, scope, grow: (n: number) => (count = n) };
}

describe("log search", () => {
  it("searches the backend once typing pauses and shows the first match from the view", async () => {
    vi.useFakeTimers();
    const { search, shown, queries } = setup([5, 50, 500], 3, 40);
    search.query.value = "err";
    await nextTick();
    search.query.value = "error";
    await nextTick();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS + 10);
    expect(queries).toEqual([{ id: 7, query: "error", limit: 100_000 }]);
    expect(search.total.value).toBe(3);
    expect(search.index.value).toBe(1);
    expect(shown).toEqual([50]);
    expect(search.applied.value).toBe("error");
  });

  it("goes to the next and previous match with wrap-around", async () => {
    const { search, shown } = setup([5, 50, 500]);
    search.query.value = "x";
    await search.next(); // Enter before the pause: searches at once
    expect(shown).toEqual([5]);
    await search.next();
    await search.next();
    await search.next();
    await search.prev();
    expect(shown).toEqual([5, 50, 500, 5, 500]);
    expect(search.currentSeq.value).toBe(500);
  });

  it("searches a grown live log again after its last match", async () => {
    const { search, queries, grow } = setup([5, 50]);
    search.query.value = "x";
    await search.next();
    await search.next();
    grow(2000);
    await search.next();
    expect(queries).toHaveLength(2);
  });

  it("clears matches and highlights with an empty query", async () => {
    const { search } = setup([5]);
    search.query.value = "x";
    await search.next();
    search.clear();
    await nextTick();
    expect(search.matches.value).toBeNull();
    expect(search.applied.value).toBe("");
  });
});
