// Paged access to a run's log, so a million-line log never has to be in memory: lines live in
// fixed-size pages (seq 1..PAGE_SIZE is page 0), an LRU cache keeps the pages the user looked at
// last, and a loader fetches the pages around the viewport on demand, a few at a time, most
// wanted first. Live lines are merged into the same pages; the tail pages are never evicted
// because their lines may not be readable from the backend yet. Nothing here is reactive: the
// composable owning it bumps a version counter when pages change.
import type { LogLine } from "@/bindings/LogLine";

export const PAGE_SIZE = 2000;
/** Pages kept in memory (100,000 lines at the default page size). */
export const PAGE_CAPACITY = 50;

/** Page that holds a 0-based line index. */
export function pageOf(index: number, pageSize = PAGE_SIZE): number {
  return Math.floor(Math.max(0, index) / pageSize);
}

/**
 * Pages needed to show lines [start, end) of a log of `count` lines, plus `margin` lines on each
 * side for smooth scrolling: the visible pages first (top to bottom), then the margins.
 */
export function pagesForRange(
  start: number,
  end: number,
  count: number,
  margin = 0,
  pageSize = PAGE_SIZE,
): number[] {
  if (count <= 0 || end <= start) return [];
  const last = pageOf(count - 1, pageSize);
  const clamp = (p: number) => Math.max(0, Math.min(last, p));
  const first = clamp(pageOf(start, pageSize));
  const final = clamp(pageOf(end - 1, pageSize));
  const out: number[] = [];
  for (let p = first; p <= final; p++) out.push(p);
  const before = clamp(pageOf(start - margin, pageSize));
  const after = clamp(pageOf(end - 1 + margin, pageSize));
  for (let p = first - 1; p >= before; p--) out.push(p);
  for (let p = final + 1; p <= after; p++) out.push(p);
  return out;
}

interface Page {
  lines: Array<LogLine | undefined>;
  known: number;
}

/** The cache of pages and the number of lines the log has. */
export class LogPages {
  /** Lines in the log (seq 1..count), known or not. */
  count = 0;
  private pages = new Map<number, Page>();

  constructor(
    readonly pageSize = PAGE_SIZE,
    readonly capacity = PAGE_CAPACITY,
  ) {}

  get cachedPages(): number[] {
    return [...this.pages.keys()];
  }

  /** The line at a 0-based index, or undefined while its page is not loaded. */
  line(index: number): LogLine | undefined {
    return this.pages.get(pageOf(index, this.pageSize))?.lines[index % this.pageSize];
  }

  /** Lines a page should hold given the current count. */
  expected(page: number): number {
    return Math.max(0, Math.min(this.pageSize, this.count - page * this.pageSize));
  }

  /** Whether a page lacks lines that exist. */
  needs(page: number): boolean {
    const known = this.pages.get(page)?.known ?? 0;
    return known < this.expected(page);
  }

  /** Marks pages as recently used, in the given order (the last one is the most recent). */
  touch(pages: readonly number[]): void {
    for (const p of pages) {
      const page = this.pages.get(p);
      if (!page) continue;
      this.pages.delete(p);
      this.pages.set(p, page);
    }
  }

  /** Merges lines (any order, any page); returns the highest seq stored. Grows count to it. */
  store(lines: readonly LogLine[]): number {
    let highest = 0;
    for (const line of lines) {
      if (line.seq < 1) continue;
      const index = line.seq - 1;
      const p = pageOf(index, this.pageSize);
      let page = this.pages.get(p);
      if (!page) {
        page = { lines: [], known: 0 };
        this.pages.set(p, page);
      }
      const slot = index % this.pageSize;
      if (page.lines[slot] === undefined) page.known++;
      page.lines[slot] = line;
      if (line.seq > highest) highest = line.seq;
    }
    if (highest > this.count) this.count = highest;
    this.evict();
    return highest;
  }

  /** Drops least recently used pages over capacity, never the last two (the live tail). */
  evict(): void {
    if (this.pages.size <= this.capacity) return;
    const tail = pageOf(this.count - 1, this.pageSize);
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.capacity) break;
      if (p >= tail - 1) continue;
      this.pages.delete(p);
    }
  }

  clear(): void {
    this.pages.clear();
    this.count = 0;
  }
}

export type FetchLines = (fromSeq: number, limit: number) => Promise<LogLine[]>;

/**
 * Fetches the pages a view wants, at most `concurrency` at a time and the most wanted first;
 * a page that is no longer wanted when a slot frees up is not fetched at all. A page the backend
 * could not fill yet (live lines not stored) is retried after `retryMs`.
 */
export class PageLoader {
  private wanted: number[] = [];
  private inflight = new Map<number, Promise<void>>();
  private retryAt = new Map<number, number>();
  private generation = 0;

  constructor(
    private readonly pages: LogPages,
    private readonly fetch: FetchLines,
    private readonly onLoaded: () => void,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly concurrency = 2,
    private readonly retryMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get loading(): boolean {
    return this.inflight.size > 0;
  }

  /** The pages the view needs now, most important first. */
  want(pages: readonly number[]): void {
    this.wanted = [...pages];
    this.pages.touch([...pages].reverse());
    this.pump();
  }

  /** Loads one page now (sharing a fetch already on its way); resolves when it is stored. */
  load(page: number): Promise<void> {
    const running = this.inflight.get(page);
    if (running) return running;
    const mine = this.generation;
    const size = this.pages.pageSize;
    const promise = this.fetch(page * size + 1, size)
      .then((lines) => {
        if (mine !== this.generation) return;
        this.pages.store(lines);
        if (this.pages.needs(page)) this.retryAt.set(page, this.now() + this.retryMs);
        else this.retryAt.delete(page);
      })
      .catch((error: unknown) => {
        if (mine !== this.generation) return;
        this.retryAt.set(page, this.now() + this.retryMs);
        this.onError(error);
      })
      .finally(() => {
        if (mine !== this.generation) return;
        this.inflight.delete(page);
        this.pump();
        // After the page left `inflight`, so listeners see `loading` as it now is.
        this.onLoaded();
      });
    this.inflight.set(page, promise);
    return promise;
  }

  /** Forgets everything in flight (a new run was opened). */
  reset(): void {
    this.generation++;
    this.wanted = [];
    this.inflight.clear();
    this.retryAt.clear();
  }

  private pump(): void {
    const now = this.now();
    for (const page of this.wanted) {
      if (this.inflight.size >= this.concurrency) return;
      if (this.inflight.has(page) || !this.pages.needs(page)) continue;
      if ((this.retryAt.get(page) ?? 0) > now) continue;
      void this.load(page);
    }
  }
}
