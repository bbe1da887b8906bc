import { describe, expect, it } from "vitest";
import {
  computeAnchoredWindow,
  computeWindow,
  scrollTopForLine,
  UniformRows,
  type RowModel,
} from "./logLayout";

const base = { viewportHeight: 400, rowHeight: 20, overscan: 5, maxScrollHeight: 15_000_000 };
const win = (rows: RowModel, scrollTop: number, extra: Partial<typeof base> = {}) =>
  computeWindow({ ...base, ...extra, rows, scrollTop });

describe("log virtual window", () => {
  it("renders the first screen plus overscan at the top", () => {
    const w = win(new UniformRows(10_000), 0);
    expect(w).toEqual({ start: 0, end: 26, offsetY: 0, spacerHeight: 200_000 });
  });

  it("renders only the lines around the scroll offset", () => {
    const w = win(new UniformRows(10_000), 2_010);
    expect(w.start).toBe(100 - 5);
    expect(w.end).toBe(121 + 1 + 5);
    expect(w.offsetY).toBe(95 * 20);
  });

  it("clamps to the last lines when scrolled past the end", () => {
    const w = win(new UniformRows(100), 1e9);
    expect(w.end).toBe(100);
    expect(w.offsetY + (w.end - w.start) * 20).toBe(w.spacerHeight);
  });

  it("renders nothing for an empty log", () => {
    expect(win(new UniformRows(0), 0)).toEqual({ start: 0, end: 0, offsetY: 0, spacerHeight: 0 });
  });

  it("keeps a million lines scrollable by scaling past the browser's height limit", () => {
    const rows = new UniformRows(1_000_000);
    const top = win(rows, 0);
    expect(top.spacerHeight).toBe(15_000_000);
    expect(top.end - top.start).toBeLessThan(40);
    const bottom = win(rows, 15_000_000);
    expect(bottom.end).toBe(1_000_000);
    expect(bottom.offsetY + (bottom.end - bottom.start) * 20).toBeCloseTo(15_000_000, 5);
    const middle = win(rows, scrollTopForLine(500_000, rows, 20, 400, 15_000_000));
    expect(Math.abs(middle.start - (500_000 - 5))).toBeLessThanOrEqual(1);
    expect(middle.end - middle.start).toBeLessThan(40);
  });
});

describe("wrapped log window (lines of unknown height)", () => {
  const input = { viewportHeight: 400, rowHeight: 20, overscan: 5, maxScrollHeight: 15_000_000 };

  it("draws the line at the scroll position at the top, followed by enough lines to fill", () => {
    const w = computeAnchoredWindow({ ...input, count: 1000, scrollTop: 2000 });
    expect(w).toMatchObject({ start: 100, offsetY: 2000, bottomAligned: false });
    expect(w.end - w.start).toBeGreaterThanOrEqual(21);
  });

  it("draws the last lines upwards from the bottom at the end of the range", () => {
    const w = computeAnchoredWindow({ ...input, count: 1000, scrollTop: 1e9 });
    expect(w).toMatchObject({ end: 1000, offsetY: 20_000, bottomAligned: true });
  });

  it("keeps a million lines windowed", () => {
    const w = computeAnchoredWindow({ ...input, count: 1_000_000, scrollTop: 7_500_000 });
    expect(w.end - w.start).toBeLessThan(40);
    expect(Math.abs(w.start - 500_000)).toBeLessThan(20);
  });

  it("shows a short log from the top", () => {
    expect(computeAnchoredWindow({ ...input, count: 5, scrollTop: 0 })).toMatchObject({
      start: 0,
      end: 5,
      bottomAligned: false,
    });
  });
});
