// Virtual-window maths for the run log: which lines are in the DOM for a scroll offset, and where
// they sit. Lines are rows of a fixed height (one row per line); wrapped lines, whose height is
// unknown before they are loaded, are drawn from an anchor line instead (computeAnchoredWindow).
// Very long logs are taller than a browser can scroll, so past `maxScrollHeight` the scroll range
// is scaled.

/** Maps lines to rows. Line and row indices are 0-based. */
export interface RowModel {
  readonly lineCount: number;
  readonly totalRows: number;
  /** First row of a line. */
  rowOf(line: number): number;
  /** Line that contains a row (clamped to the existing lines). */
  lineAtRow(row: number): number;
}

/** One row per line: the no-wrap layout, O(1) for any number of lines. */
export class UniformRows implements RowModel {
  constructor(readonly lineCount: number) {}
  get totalRows(): number {
    return this.lineCount;
  }
  rowOf(line: number): number {
    return line;
  }
  lineAtRow(row: number): number {
    return Math.max(0, Math.min(this.lineCount - 1, Math.floor(row)));
  }
}

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rows: RowModel;
  /** Extra lines rendered above and below the viewport. */
  overscan: number;
  /** Tallest scroll area to create; browsers cap element heights (about 33.5M px). */
  maxScrollHeight: number;
}

export interface LogWindow {
  /** First rendered line (inclusive). */
  start: number;
  /** Last rendered line (exclusive). */
  end: number;
  /** Where the first rendered line's top sits inside the spacer, in px. */
  offsetY: number;
  /** Height of the scrollable spacer, in px. */
  spacerHeight: number;
}

export const MAX_SCROLL_HEIGHT = 15_000_000;

export function computeWindow(input: WindowInput): LogWindow {
  const { rows, rowHeight, viewportHeight, overscan } = input;
  const contentHeight = rows.totalRows * rowHeight;
  const spacerHeight = Math.min(contentHeight, input.maxScrollHeight);
  if (rows.lineCount === 0) return { start: 0, end: 0, offsetY: 0, spacerHeight: 0 };
  const maxScrollTop = Math.max(0, spacerHeight - viewportHeight);
  const top = Math.max(0, Math.min(input.scrollTop, maxScrollTop));
  // Position in the unscaled content that the viewport's top edge shows.
  const virtualTop =
    contentHeight > spacerHeight && maxScrollTop > 0
      ? (top / maxScrollTop) * (contentHeight - viewportHeight)
      : top;
  const firstRow = Math.floor(virtualTop / rowHeight);
  const lastRow = Math.ceil((virtualTop + viewportHeight) / rowHeight);
  const start = Math.max(0, rows.lineAtRow(firstRow) - overscan);
  const end = Math.min(rows.lineCount, rows.lineAtRow(lastRow) + 1 + overscan);
  const offsetY = top + rows.rowOf(start) * rowHeight - virtualTop;
  return { start, end, offsetY, spacerHeight };
}

export interface AnchoredWindow extends LogWindow {
  /** The window's bottom sits at `offsetY` (the end of the log) instead of its top. */
  bottomAligned: boolean;
}

/**
 * The window for wrapped lines, whose heights are unknown until rendered (their pages may not even
 * be loaded): the scroll range counts one row per line, the line at the scroll position is drawn
 * at the top of the viewport with the lines after it wrapped below, and at the very end of the
 * range the last lines are drawn upwards from the bottom. Scrolling moves by whole lines.
 */
export function computeAnchoredWindow(
  input: Omit<WindowInput, "rows"> & { count: number },
): AnchoredWindow {
  const { count, rowHeight, viewportHeight, overscan } = input;
  const rows = new UniformRows(count);
  const contentHeight = count * rowHeight;
  const spacerHeight = Math.min(contentHeight, input.maxScrollHeight);
  const fit = Math.ceil(viewportHeight / rowHeight) + 1;
  if (count === 0) return { start: 0, end: 0, offsetY: 0, spacerHeight: 0, bottomAligned: false };
  if (contentHeight <= viewportHeight) {
    return { start: 0, end: count, offsetY: 0, spacerHeight, bottomAligned: false };
  }
  const maxScrollTop = Math.max(0, spacerHeight - viewportHeight);
  const top = Math.max(0, Math.min(input.scrollTop, maxScrollTop));
  if (top >= maxScrollTop - 1) {
    return {
      start: Math.max(0, count - fit),
      end: count,
      offsetY: spacerHeight,
      spacerHeight,
      bottomAligned: true,
    };
  }
  const plain = computeWindow({ ...input, rows, overscan: 0 });
  const start = plain.start;
  return {
    start,
    end: Math.min(count, start + fit + overscan),
    offsetY: top,
    spacerHeight,
    bottomAligned: false,
  };
}

/** Scroll offset that puts a line at the top of the viewport (inverse of computeWindow). */
export function scrollTopForLine(
  line: number,
  rows: RowModel,
  rowHeight: number,
  viewportHeight: number,
  maxScrollHeight: number,
): number {
  const contentHeight = rows.totalRows * rowHeight;
  const spacerHeight = Math.min(contentHeight, maxScrollHeight);
  const target = rows.rowOf(line) * rowHeight;
  const maxScrollTop = Math.max(0, spacerHeight - viewportHeight);
  if (contentHeight <= spacerHeight) return Math.min(target, maxScrollTop);
  return (target / Math.max(1, contentHeight - viewportHeight)) * maxScrollTop;
}
