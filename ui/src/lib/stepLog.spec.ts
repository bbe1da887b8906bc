import { describe, expect, it, vi } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import { lowerBound, SCAN_CHUNK, StepLog, type RunLogAccess } from "./stepLog";

/** A run log of `n` lines; line seq belongs to step seq % 3 (seq 1 to no step). */
function runLog(n: number, inMemory: (seq: number) => boolean = () => false) {
  const make = (seq: number): LogLine => ({
    seq,
    ts: seq,
    stream: "stdout",
    text: `line ${seq}`,
    ...(seq === 1 ? {} : { step: seq % 3 }),
  });
  let count = n;
  const fetch = vi.fn(async (from: number, limit: number) => {
    const out: LogLine[] = [];
    for (let s = from; s < from + limit && s <= count; s++) out.push(make(s));
    return out;
  });
  const access: RunLogAccess = {
    count: () => count,
    line: (i) => (inMemory(i + 1) && i < count ? make(i + 1) : undefined),
    fetch,
  };
  return { access, fetch, grow: (to: number) => (count = to) };
}

describe("step log", () => {
  it("indexes one step's lines and numbers them within the step", async () => {
    const { access } = runLog(30);
    const log = new StepLog(1, access, () => {});
    await log.scan();
    expect(log.complete).toBe(true);
    expect(log.seqs).toEqual([4, 7, 10, 13, 16, 19, 22, 25, 28]);
    expect(log.pages.count).toBe(9);
    expect(log.pages.line(0)).toMatchObject({ seq: 1, text: "line 4", step: 1 });
    expect(log.pages.line(8)).toMatchObject({ seq: 9, text: "line 28" });
  });

  it("reads lines in memory without asking the backend", async () => {
    const { access, fetch } = runLog(20, () => true);
    const log = new StepLog(2, access, () => {});
    await log.scan();
    expect(fetch).not.toHaveBeenCalled();
    expect(log.seqs).toEqual([2, 5, 8, 11, 14, 17, 20]);
  });

  it("scans a large log a chunk at a time, keeping only a bounded number of pages", async () => {
    const { access, fetch } = runLog(120_000);
    const log = new StepLog(
      0,
      access,
      () => {},
      () => {},
      500,
    );
    await log.scan();
    expect(fetch.mock.calls.length).toBe(Math.ceil(120_000 / SCAN_CHUNK));
    expect(log.seqs.length).toBe(40_000);
    expect(log.pages.cachedPages.length).toBeLessThanOrEqual(50);
  });

  it("picks up lines the run writes later (live)", async () => {
    const run = runLog(10);
    const changed = vi.fn();
    const log = new StepLog(1, run.access, changed);
    await log.scan();
    expect(log.seqs).toEqual([4, 7, 10]);
    run.grow(16);
    await log.scan();
    expect(log.seqs).toEqual([4, 7, 10, 13, 16]);
    expect(changed).toHaveBeenCalled();
  });

  it("waits for lines that are counted but not stored yet", async () => {
    const run = runLog(10);
    const access = { ...run.access, count: () => 12 };
    const log = new StepLog(1, access, () => {});
    await log.scan();
    expect(log.complete).toBe(false);
    expect(log.seqs).toEqual([4, 7, 10]);
  });

  it("fetches an evicted range of the step again through the index", async () => {
    const { access } = runLog(30);
    const log = new StepLog(1, access, () => {});
    await log.scan();
    const lines = await log.fetch(3, 4);
    expect(lines.map((l) => [l.seq, l.text])).toEqual([
      [3, "line 10"],
      [4, "line 13"],
      [5, "line 16"],
      [6, "line 19"],
    ]);
    expect(await log.fetch(20, 5)).toEqual([]);
  });

  it("maps the run's search matches to the step's lines", async () => {
    const { access } = runLog(30);
    const log = new StepLog(1, access, () => {});
    await log.scan();
    expect(log.mapSeqs([1, 4, 5, 10, 28])).toEqual([1, 3, 9]);
    expect(log.localOf(5)).toBe(0);
  });

  it("scans only the part of the log written while the step ran", async () => {
    // 10 ms between lines; the step wrote seqs 5000-6000 (ts 50000-60000).
    let count = 20_000;
    const make = (seq: number): LogLine => ({
      seq,
      ts: seq * 10,
      stream: "stdout",
      text: `line ${seq}`,
      ...(seq >= 5000 && seq <= 6000 ? { step: 1 } : { step: 0 }),
    });
    const fetch = vi.fn(async (from: number, limit: number) => {
      const out: LogLine[] = [];
      for (let s = from; s < from + limit && s <= count; s++) out.push(make(s));
      return out;
    });
    const access: RunLogAccess = { count: () => count, line: () => undefined, fetch };
    const log = new StepLog(
      1,
      access,
      () => {},
      () => {},
      undefined,
      {
        startMs: 50_000,
        endMs: 60_000,
      },
    );
    await log.scan();
    expect(log.seqs.length).toBe(1001);
    expect(log.seqs[0]).toBe(5000);
    expect(log.complete).toBe(true);
    const probes = fetch.mock.calls.filter(([, limit]) => limit === 1);
    const chunks = fetch.mock.calls.filter(([, limit]) => limit > 1);
    expect(probes.length).toBeLessThanOrEqual(16);
    expect(chunks.length).toBe(1);
    expect(chunks[0]?.[0]).toBe(4700); // 3 s of margin before the start
    count = 30_000;
    await log.scan();
    expect(fetch.mock.calls.filter(([, limit]) => limit > 1)).toHaveLength(1);
  });

  it("of a step not started yet, looks only at lines written from now on", async () => {
    const run = runLog(30);
    const log = new StepLog(
      1,
      run.access,
      () => {},
      () => {},
      undefined,
      {
        startMs: null,
        endMs: null,
      },
    );
    await log.scan();
    expect(log.seqs).toEqual([]);
    expect(run.fetch).not.toHaveBeenCalled();
    run.grow(36);
    await log.scan();
    expect(log.seqs).toEqual([31, 34]);
  });

  it("finds insertion points", () => {
    expect(lowerBound([2, 4, 6], 4)).toBe(1);
    expect(lowerBound([2, 4, 6], 5)).toBe(2);
    expect(lowerBound([], 1)).toBe(0);
  });
});
