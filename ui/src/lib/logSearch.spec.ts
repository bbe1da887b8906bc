import { describe, expect, it } from "vitest";
import { ansiToHtmlMarked } from "./ansiHighlight";
import { firstMatchFrom, matchRanges, stepMatch } from "./logSearch";

describe("log search navigation", () => {
  const seqs = [3, 40, 41, 900];

  it("starts at the first match at or after the line in view, else at the first", () => {
    expect(firstMatchFrom(seqs, 1)).toBe(0);
    expect(firstMatchFrom(seqs, 40)).toBe(1);
    expect(firstMatchFrom(seqs, 42)).toBe(3);
    expect(firstMatchFrom(seqs, 901)).toBe(0);
    expect(firstMatchFrom([], 1)).toBe(-1);
  });

  it("steps forward and backward, wrapping around at both ends", () => {
    expect(stepMatch(0, 4, 1)).toBe(1);
    expect(stepMatch(3, 4, 1)).toBe(0);
    expect(stepMatch(0, 4, -1)).toBe(3);
    expect(stepMatch(-1, 4, -1)).toBe(3);
    expect(stepMatch(-1, 0, 1)).toBe(-1);
  });

  it("finds every occurrence case-insensitively", () => {
    expect(matchRanges("Error: error ERROR", "error")).toEqual([
      [0, 5],
      [7, 12],
      [13, 18],
    ]);
    expect(matchRanges("aaaa", "aa")).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(matchRanges("text", "")).toEqual([]);
  });
});

describe("marked log line HTML", () => {
  it("marks matches on the visible text, across colour changes, escaping everything", () => {
    const html = ansiToHtmlMarked("\x1b[31mfail\x1b[0med <b>FAILED</b>", "failed");
    expect(html).toBe(
      '<span style="color:var(--ansi-1)"><mark class="log-mark">fail</mark></span>' +
        '<mark class="log-mark">ed</mark> &lt;b&gt;<mark class="log-mark">FAILED</mark>&lt;/b&gt;',
    );
  });

  it("leaves a line without matches as plain coloured HTML", () => {
    expect(ansiToHtmlMarked("\x1b[1mok\x1b[0m", "zzz")).toBe('<span class="ansi-bold">ok</span>');
  });
});
