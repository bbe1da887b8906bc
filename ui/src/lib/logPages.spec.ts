import { describe, expect, it } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import { LogPages, pageOf, PageLoader, pagesForRange } from "./logPages";

const line = (seq: number): LogLine => ({ seq, ts: seq, stream: "stdout", text: `l${seq}` });
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => line(from + i));

describe("log pages", () => {
  it("maps line indices to pages of 2,000 lines", () => {
    expect([0, 1999, 2000, 999_999].map((i) => pageOf(i))).toEqual([0, 0, 1, 499]);
  });

  it("wants the pages on screen first, then the margins, never past the log", () => {
    expect(pagesForRange(1990, 2030, 1_000_000)).toEqual([0, 1]);
    expect(pagesForRange(500_010, 500_050, 1_000_000, 1000)).toEqual([250, 249]);
    expect(pagesForRange(3990, 4010, 1_000_000, 1000)).toEqual([1, 2]);
    expect(pagesForRange(999_980, 1_000_010, 1_000_000, 1000)).toEqual([499]);
    expect(pagesForRange(0, 40, 0)).toEqual([]);
  });

  it("knows which pages lack lines, the partial tail page included", () => {
    const pages = new LogPages(10, 5);
    pages.count = 25;
    expect([0, 1, 2].map((p) => pages.needs(p))).toEqual([true, true, true]);
    pages.store(range(21, 25));
    expect(pages.needs(2)).toBe(false);
    expect(pages.line(24)?.seq).toBe(25);
    expect(pages.line(0)).toBeUndefined();
    pages.store(range(26, 27)); // live lines grow the log
    expect(pages.count).toBe(27);
    expect(pages.needs(2)).toBe(false);
  });

  it("evicts the least recently used pages, never the tail", () => {
    const pages = new LogPages(10, 3);
    pages.count = 100;
    pages.store(range(91, 100)); // tail page 9
    pages.store(range(1, 10));
    pages.store(range(11, 20));
    pages.touch([0]); // page 0 was looked at again: page 1 is now the oldest after the tail
    pages.store(range(21, 30));
    expect(pages.cachedPages.sort((a, b) => a - b)).toEqual([0, 2, 9]);
  });
});

describe("page loader", () => {
  function setup(total: number, capacity = 50) {
    const pages = new LogPages(10, capacity);
    pages.count = total;
    const calls: number[] = [];
    const resolvers: Array<() => void> = [];
    let now = 0;
    const loader = new PageLoader(
      pages,
      (from, limit) => {
        calls.push(from);
        return new Promise((resolve) => {
          resolvers.push(() => resolve(range(from, Math.min(total, from + limit - 1))));
        });
      },
      () => {},
      () => {},
      2,
      1000,
      () => now,
    );
    const settle = async () => {
      while (resolvers.length) {
        resolvers.shift()?.();
        await new Promise((r) => setTimeout(r, 0));
      }
    };
    return { pages, loader, calls, settle, advance: (ms: number) => (now += ms) };
  }

  it("fetches at most two pages at once, most wanted first, and skips pages no longer wanted", async () => {
    const { loader, calls, settle } = setup(1000);
    loader.want([50, 51, 49, 48]);
    expect(calls).toEqual([501, 511]);
    loader.want([10]); // the user scrolled elsewhere before those came back
    await settle();
    expect(calls).toEqual([501, 511, 101]);
  });

  it("shares a fetch already on its way and never fetches a complete page again", async () => {
    const { loader, calls, settle } = setup(1000);
    const a = loader.load(3);
    const b = loader.load(3);
    expect(a).toBe(b);
    await settle();
    loader.want([3]);
    expect(calls).toEqual([31]);
  });

  it("retries a page the backend could not fill yet, after a pause", async () => {
    const { pages, loader, calls, settle, advance } = setup(15);
    pages.count = 20; // five lines announced but not readable yet
    loader.want([1]);
    await settle();
    loader.want([1]);
    expect(calls).toEqual([11]);
    advance(1500);
    loader.want([1]);
    expect(calls).toEqual([11, 11]);
  });
});

describe("page loader notifications", () => {
  it("reports not loading once the last page has arrived, so no spinner is left behind", async () => {
    const pages = new LogPages(10, 50);
    pages.count = 5;
    const seen: boolean[] = [];
    const loader: PageLoader = new PageLoader(
      pages,
      async (from, limit) => range(from, Math.min(5, from + limit - 1)),
      () => seen.push(loader.loading),
    );
    await loader.load(0);
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.at(-1)).toBe(false);
  });
});
