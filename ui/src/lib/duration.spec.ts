import { describe, expect, it } from "vitest";
import { formatDuration, runDurationMs } from "./duration";

describe("duration formatting", () => {
  it("shows the two largest units like CI tools do", () => {
    expect(formatDuration(72_000)).toBe("1m 12s");
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(120_000)).toBe("2m");
    expect(formatDuration(3_600_000)).toBe("1h");
    expect(formatDuration(3_723_000)).toBe("1h 2m");
  });

  it("shows sub-second durations in milliseconds and never negative values", () => {
    expect(formatDuration(350)).toBe("350ms");
    expect(formatDuration(-5)).toBe("0ms");
    expect(formatDuration(Number.NaN)).toBe("0ms");
  });

  it("uses the units of the UI language", () => {
    const zh = { h: "小时", m: "分", s: "秒", ms: "毫秒", sep: "" };
    expect(formatDuration(72_000, zh)).toBe("1分12秒");
  });

  it("measures a running run up to now and a finished one up to its end", () => {
    const start = "2026-11-25T18:40:00.000Z";
    const now = Date.parse(start) + 5_000;
    expect(runDurationMs({ startedAt: start, finishedAt: null }, now)).toBe(5_000);
    expect(
      runDurationMs({ startedAt: start, finishedAt: "2026-11-25T18:41:12.000Z" }, now + 1e9),
    ).toBe(72_000);
    expect(runDurationMs({ startedAt: null, finishedAt: null }, now)).toBeNull();
  });
});
