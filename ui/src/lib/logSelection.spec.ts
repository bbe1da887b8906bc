import { describe, expect, it, vi } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import {
  clickLine,
  collectLines,
  linesToText,
  parseLineTarget,
  selectionRange,
} from "./logSelection";

const line = (seq: number): LogLine => ({
  seq,
  ts: seq,
  stream: "stdout",
  text: `\x1b[32mline\x1b[0m ${seq}`,
});

describe("log line selection", () => {
  it("selects a line on click, extends with shift, and unselects on a second click", () => {
    let sel = clickLine(null, 10, false);
    expect(sel).toEqual({ anchor: 10, head: 10 });
    sel = clickLine(sel, 4, true);
    expect(selectionRange(sel!)).toEqual([4, 10]);
    sel = clickLine(sel, 20, true);
    expect(selectionRange(sel!)).toEqual([10, 20]);
    sel = clickLine(sel, 7, false);
    expect(sel).toEqual({ anchor: 7, head: 7 });
    expect(clickLine(sel, 7, false)).toBeNull();
    expect(clickLine(null, 5, true)).toEqual({ anchor: 5, head: 5 });
  });

  it("reads a line number or a range from the go-to box, within the log", () => {
    expect(parseLineTarget("120", 1000)).toEqual({ anchor: 120, head: 120 });
    expect(parseLineTarget(" 120-180 ", 1000)).toEqual({ anchor: 120, head: 180 });
    expect(parseLineTarget("5000", 1000)).toEqual({ anchor: 1000, head: 1000 });
    expect(parseLineTarget("0", 1000)).toEqual({ anchor: 1, head: 1 });
    expect(parseLineTarget("abc", 1000)).toBeNull();
    expect(parseLineTarget("3", 0)).toBeNull();
  });

  it("copies plain text, taking lines from memory and fetching only the missing ones", async () => {
    const inMemory = new Map([5, 6, 9].map((s) => [s, line(s)]));
    const fetch = vi.fn(async (from: number, limit: number) =>
      Array.from({ length: limit }, (_, i) => line(from + i)),
    );
    const lines = await collectLines(5, 10, (s) => inMemory.get(s), fetch, 2);
    expect(lines.map((l) => l.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(fetch.mock.calls).toEqual([
      [7, 2],
      [10, 1],
    ]);
    expect(linesToText(lines.slice(0, 2))).toBe("line 5\nline 6");
  });

  it("fails instead of copying a range with a hole in it", async () => {
    await expect(
      collectLines(
        1,
        3,
        () => undefined,
        async () => [],
      ),
    ).rejects.toThrow("line 1");
  });
});
