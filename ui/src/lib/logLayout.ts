// Virtual-window maths for the run log: which lines are in the DOM for a scroll offset, and where
// they sit. Lines are measured in rows of a fixed height: one row per line when not wrapping, and
// ceil(displayWidth / columns) rows per line when wrapping (the font is monospace). Very long logs
// are taller than a browser can scroll, so past `maxScrollHeight` the scroll range is scaled.

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

/**
 * Rows per line from each line's display width and the number of columns that fit.
 * Widths are appended as lines arrive; changing the columns rebuilds the prefix sums (O(n)).
 */
export class WrappedRows implements RowModel {
  private widths = new Uint32Array(1024);
  private prefix = new Float64Array(1025);
  private count = 0;
  private cols = 80;

  get lineCount(): number {
    return this.count;
  }
  get totalRows(): number {
    return this.prefix[this.count] ?? 0;
  }

  setColumns(cols: number): void {
    const next = Math.max(1, Math.floor(cols));
    if (next === this.cols) return;
    this.cols = next;
    for (let i = 0; i < this.count; i++) {
      this.prefix[i + 1] = (this.prefix[i] ?? 0) + this.rowsFor(this.widths[i] ?? 0);
    }
  }

  append(width: number): void {
    if (this.count === this.widths.length) this.grow();
    this.widths[this.count] = width;
    this.prefix[this.count + 1] = (this.prefix[this.count] ?? 0) + this.rowsFor(width);
    this.count++;
  }

  reset(): void {
    this.count = 0;
  }

  rowsOfLine(line: number): number {
    return this.rowsFor(this.widths[line] ?? 0);
  }

  rowOf(line: number): number {
    return this.prefix[Math.max(0, Math.min(this.count, line))] ?? 0;
  }

  lineAtRow(row: number): number {
    if (this.count === 0) return 0;
    // Largest line whose first row is <= row.
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.prefix[mid] ?? 0) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private rowsFor(width: number): number {
    return Math.max(1, Math.ceil(width / this.cols));
  }

  private grow(): void {
    const widths = new Uint32Array(this.widths.length * 2);
    widths.set(this.widths);
    this.widths = widths;
    const prefix = new Float64Array(widths.length + 1);
    prefix.set(this.prefix);
    this.prefix = prefix;
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

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** Columns a (escape-free) line occupies in a monospace font: tabs to 8, CJK/emoji count 2. */
export function displayWidth(text: string): number {
  if (!/[\t\u1100-\uffff]/.test(text)) return text.length;
  let col = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\t") col += 8 - (col % 8);
    else col += isWide(code) ? 2 : 1;
  }
  return col;
}

/**
 * displayWidth(stripAnsi(raw)) in one pass without allocating: wrapping a million-line log
 * measures every line, so this runs a million times.
 */
export function rawLineWidth(raw: string): number {
  let col = 0;
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x1b) {
      const next = raw.charCodeAt(i + 1);
      if (next === 0x5b) {
        // CSI: parameters and intermediates, then one final byte in @..~
        i += 2;
        while (i < n && (raw.charCodeAt(i) < 0x40 || raw.charCodeAt(i) > 0x7e)) i++;
      } else if (next === 0x5d) {
        // OSC: up to BEL or ESC \
        i += 2;
        while (i < n && raw.charCodeAt(i) !== 0x07 && raw.charCodeAt(i) !== 0x1b) i++;
        if (raw.charCodeAt(i) === 0x1b) i++;
      } else {
        i++;
        while (i < n && raw.charCodeAt(i) >= 0x20 && raw.charCodeAt(i) <= 0x2f) i++;
      }
    } else if (c === 0x0d) {
      // A carriage return redraws from the start, unless nothing follows it.
      let j = i + 1;
      while (j < n && raw.charCodeAt(j) === 0x0d) j++;
      if (j < n) col = 0;
      i = j - 1;
    } else if (c === 0x09) {
      col += 8 - (col % 8);
    } else if (c < 0x20 || c === 0x7f) {
      // other control characters are not drawn
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const code = raw.codePointAt(i) ?? c;
      col += isWide(code) ? 2 : 1;
      i++;
    } else {
      col += c >= 0x1100 && isWide(c) ? 2 : 1;
    }
  }
  return col;
}
