import { describe, expect, it } from "vitest";
import {
  computeWindow,
  displayWidth,
  rawLineWidth,
  scrollTopForLine,
  UniformRows,
  WrappedRows,
  type RowModel,
} from "./logLayout";
import { stripAnsi } from "./ansi";

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

  it("gives wrapped lines as many rows as their width needs", () => {
    const rows = new WrappedRows();
    rows.setColumns(10);
    [5, 25, 10, 0].forEach((w) => rows.append(w));
    expect([0, 1, 2, 3].map((i) => rows.rowsOfLine(i))).toEqual([1, 3, 1, 1]);
    expect(rows.totalRows).toBe(6);
    expect(rows.rowOf(2)).toBe(4);
    expect(rows.lineAtRow(3)).toBe(1);
    expect(rows.lineAtRow(4)).toBe(2);
    rows.setColumns(25);
    expect(rows.totalRows).toBe(4);
  });

  it("finds the window in wrapped mode by rows, not lines", () => {
    const rows = new WrappedRows();
    rows.setColumns(10);
    for (let i = 0; i < 1000; i++) rows.append(i % 2 ? 30 : 5); // 1 and 3 rows alternating
    const w = win(rows, 40 * 20, { overscan: 0 });
    expect(w.start).toBe(rows.lineAtRow(40));
    expect(w.offsetY).toBe(rows.rowOf(w.start) * 20);
  });

  it("measures raw lines (with escapes) like the stripped text, in one pass", () => {
    const samples = [
      "plain",
      "\x1b[31mred\x1b[0m and\ttab",
      "\x1b]0;title\x07after \x1b[2Kclear",
      "progress 10%\rprogress 100%",
      "trailing cr\r",
      "中文 \x1b[1mbold\x1b[22m 😀",
      "\x1b(Bcharset\x00ctl",
    ];
    for (const raw of samples) expect(rawLineWidth(raw)).toBe(displayWidth(stripAnsi(raw)));
  });

  it("measures display width with tabs and wide characters", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("a\tb")).toBe(9);
    expect(displayWidth("中文")).toBe(4);
  });
});
