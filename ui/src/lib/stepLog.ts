// One step's lines of a pipeline run's log, as a log of its own (numbered 1..n, like a CI
// tool's per-step log), without loading the whole run's log at once. An index of the step's
// line numbers (`seqs`, ascending) is built by scanning the run's log from the start: lines
// already in memory (the run's pages, the live tail) are read there, the others are fetched a
// chunk at a time; the scan resumes when the run's log grows. The step's lines themselves live
// in pages numbered by their place in the step (lib/logPages.ts, same LRU bound), so an evicted
// page is fetched again through the index. Nothing here is reactive; `onChange` says when to
// look again. When the step's times are known, only the part of the log written while it ran is
// scanned: its first line is found by a binary search on the lines' times (a few one-line
// fetches), and the scan stops after the step's end, both with a margin for lines read a little
// before they were stored.
import type { LogLine } from "@/bindings/LogLine";
import { LogPages, PageLoader, type FetchLines } from "./logPages";

/** Run lines fetched per request while scanning (few requests: the backend may decode a whole
 * stored chunk of the log for each). */
export const SCAN_CHUNK = 25000;
/** Margin around the step's start and end for lines stored out of time order. */
export const TIME_MARGIN_MS = 3000;

/** When the step ran, in Unix milliseconds (what log lines' `ts` are). */
export interface StepWindow {
  /** null: it has not started, so none of its lines are in the log yet. */
  startMs: number | null;
  /** null: it has not ended. */
  endMs: number | null;
}

/** What the step log reads of the whole run's log. */
export interface RunLogAccess {
  /** Lines in the run's log. */
  count(): number;
  /** A line of the run's log by 0-based index, when it is in memory. */
  line(index: number): LogLine | undefined;
  /** Lines from the backend, seq >= fromSeq, at most limit. */
  fetch: FetchLines;
}

/** Index of the first element >= value in an ascending array. */
export function lowerBound(values: readonly number[], value: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class StepLog {
  /** Seqs (in the run's log) of the step's lines, ascending. */
  readonly seqs: number[] = [];
  readonly pages: LogPages;
  readonly loader: PageLoader;
  /** Next seq of the run's log to look at. */
  private cursor = 1;
  /** The scan has passed the step's end: nothing more to look at. */
  private ended = false;
  private placed: Promise<void> | null = null;
  private scanning: Promise<void> | null = null;
  private again = false;
  private disposed = false;

  constructor(
    readonly step: number,
    private readonly run: RunLogAccess,
    private readonly onChange: () => void,
    onError: (error: unknown) => void = () => {},
    pageSize?: number,
    private readonly window: StepWindow | null = null,
  ) {
    this.pages = new LogPages(pageSize);
    this.loader = new PageLoader(
      this.pages,
      (from, limit) => this.fetch(from, limit),
      onChange,
      onError,
    );
  }

  /** The run's whole log has been looked at (so far). */
  get complete(): boolean {
    return this.ended || this.cursor > this.run.count();
  }

  /** 1-based number within the step of a run's line, or 0 when the line is not the step's. */
  localOf(seq: number): number {
    const i = lowerBound(this.seqs, seq);
    return this.seqs[i] === seq ? i + 1 : 0;
  }

  /** Looks at the run's lines not seen yet; call again whenever the run's log grows. */
  scan(): Promise<void> {
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = this.scanLoop().finally(() => {
      this.scanning = null;
      if (this.again && !this.disposed) {
        this.again = false;
        void this.scan();
      }
    });
    return this.scanning;
  }

  dispose(): void {
    this.disposed = true;
    this.loader.reset();
  }

  /** Puts the cursor on the first line that may be the step's (once). */
  private place(): Promise<void> {
    this.placed ??= (async () => {
      const w = this.window;
      if (!w) return;
      if (w.startMs === null) {
        this.cursor = this.run.count() + 1;
        return;
      }
      const from = w.startMs - TIME_MARGIN_MS;
      let lo = 1;
      let hi = this.run.count() + 1;
      while (lo < hi && !this.disposed) {
        const mid = (lo + hi) >>> 1;
        const line = this.run.line(mid - 1) ?? (await this.run.fetch(mid, 1))[0];
        if (!line) break;
        if (line.ts < from) lo = mid + 1;
        else hi = mid;
      }
      this.cursor = lo;
    })();
    return this.placed;
  }

  private async scanLoop(): Promise<void> {
    await this.place();
    while (!this.disposed && !this.ended && this.cursor <= this.run.count()) {
      const before = this.seqs.length;
      const found: LogLine[] = [];
      let line: LogLine | undefined;
      while (
        !this.ended &&
        this.cursor <= this.run.count() &&
        (line = this.run.line(this.cursor - 1))
      ) {
        this.take(line, found);
      }
      if (this.cursor <= this.run.count()) {
        const lines = await this.run.fetch(this.cursor, SCAN_CHUNK);
        if (this.disposed) return;
        for (const l of lines) if (!this.ended && l.seq === this.cursor) this.take(l, found);
        if (lines.length === 0 || (lines[0]?.seq ?? 0) > this.cursor) {
          // Not stored yet (a live tail): the next growth of the log starts the scan again.
          this.store(found, before);
          return;
        }
      }
      this.store(found, before);
    }
  }

  private take(line: LogLine, found: LogLine[]): void {
    const end = this.window?.endMs;
    if (typeof end === "number" && line.ts > end + TIME_MARGIN_MS) {
      this.ended = true;
      this.cursor = this.run.count() + 1;
      return;
    }
    if (line.step === this.step) {
      this.seqs.push(line.seq);
      found.push(line);
    }
    this.cursor = line.seq + 1;
  }

  private store(found: LogLine[], before: number): void {
    if (found.length) {
      this.pages.store(found.map((l, i) => ({ ...l, seq: before + i + 1 })));
    }
    this.pages.count = this.seqs.length;
    this.onChange();
  }

  /** The step's lines from its own number `from` on (what the page loader and copy ask for). */
  async fetch(from: number, limit: number): Promise<LogLine[]> {
    const last = Math.min(this.seqs.length, from + limit - 1);
    if (from < 1 || last < from) return [];
    const first = this.seqs[from - 1] ?? 0;
    const end = this.seqs[last - 1] ?? 0;
    const out: LogLine[] = [];
    let next = first;
    while (next <= end) {
      const lines = await this.run.fetch(next, Math.min(SCAN_CHUNK, end - next + 1));
      if (lines.length === 0) break;
      for (const l of lines) {
        if (l.seq > end) break;
        const local = l.step === this.step ? this.localOf(l.seq) : 0;
        if (local > 0) out.push({ ...l, seq: local });
      }
      next = (lines[lines.length - 1]?.seq ?? end) + 1;
    }
    return out;
  }

  /** Maps a search of the run's log (global seqs) to the step's own line numbers. */
  mapSeqs(seqs: readonly number[]): number[] {
    const out: number[] = [];
    for (const s of seqs) {
      const local = this.localOf(s);
      if (local > 0) out.push(local);
    }
    return out;
  }
}
