// A range of selected log lines: a click on a line number selects that line, a shift-click
// extends the selection from its anchor; "Copy lines" copies their plain text. Lines that are not
// in memory are fetched in pages first, so any range of a huge log (up to a limit) can be copied.
import type { LogLine } from "@/bindings/LogLine";
import { stripAnsi } from "./ansi";

/** Largest range copied at once; beyond it the user downloads the log instead. */
export const MAX_COPY_LINES = 100_000;

export interface LineSelection {
  /** The line clicked first (seq). */
  anchor: number;
  /** The line the selection extends to (seq). */
  head: number;
}

/** The selection after a click on line `seq` (`extend`: shift was held). */
export function clickLine(
  current: LineSelection | null,
  seq: number,
  extend: boolean,
): LineSelection | null {
  if (extend && current) return { anchor: current.anchor, head: seq };
  if (current && current.anchor === seq && current.head === seq) return null;
  return { anchor: seq, head: seq };
}

/** First and last selected seq. */
export function selectionRange(selection: LineSelection): [number, number] {
  return [Math.min(selection.anchor, selection.head), Math.max(selection.anchor, selection.head)];
}

/** Parses what the "go to line" box accepts: `120` or a range `120-180` (clamped to 1..count). */
export function parseLineTarget(input: string, count: number): LineSelection | null {
  const m = /^\s*(\d+)\s*(?:[-–:,]\s*(\d+)\s*)?$/.exec(input);
  if (!m || count < 1) return null;
  const clamp = (n: number) => Math.max(1, Math.min(count, n));
  const a = clamp(Number(m[1]));
  return { anchor: a, head: m[2] === undefined ? a : clamp(Number(m[2])) };
}

export type LineLookup = (seq: number) => LogLine | undefined;
export type LineFetch = (fromSeq: number, limit: number) => Promise<LogLine[]>;

/**
 * The lines `from..to` (seqs), taken from memory where they are and fetched (in chunks of
 * `chunk`) where they are not. Rejects when the backend has fewer lines than asked for.
 */
export async function collectLines(
  from: number,
  to: number,
  lookup: LineLookup,
  fetch: LineFetch,
  chunk = 2000,
): Promise<LogLine[]> {
  const out: LogLine[] = [];
  let seq = from;
  while (seq <= to) {
    const known = lookup(seq);
    if (known) {
      out.push(known);
      seq++;
      continue;
    }
    const got = await fetch(seq, Math.min(chunk, to - seq + 1));
    const next = got.filter((l) => l.seq >= seq && l.seq <= to);
    if (next.length === 0) throw new Error(`line ${seq} could not be read`);
    for (const line of next) out.push(line);
    seq = (next[next.length - 1]?.seq ?? seq) + 1;
  }
  return out;
}

/** The text that "Copy lines" puts on the clipboard: plain text, one line each. */
export function linesToText(lines: readonly LogLine[]): string {
  return lines.map((l) => stripAnsi(l.text)).join("\n");
}
