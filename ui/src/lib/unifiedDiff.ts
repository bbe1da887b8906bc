// A unified diff (as app_diff gives it: `--- #1`, `+++ #2`, `@@ -a,b +c,d @@` hunks) as lines to
// paint: each with its kind and its numbers in the old and the new text.

export type DiffLineKind = "hunk" | "context" | "added" | "removed" | "note";

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
  /** Its line number in the "from" text (none for added lines and hunk headers). */
  old: number | null;
  /** Its line number in the "to" text (none for removed lines and hunk headers). */
  new: number | null;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** The lines of `diff` after its `---`/`+++` header, numbered. */
export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const line of diff.split("\n")) {
    if (line === "" || line.startsWith("--- ") || line.startsWith("+++ ")) continue;
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      out.push({ kind: "hunk", text: line, old: null, new: null });
    } else if (line.startsWith("+")) {
      out.push({ kind: "added", text: line.slice(1), old: null, new: newNo++ });
    } else if (line.startsWith("-")) {
      out.push({ kind: "removed", text: line.slice(1), old: oldNo++, new: null });
    } else if (line.startsWith("\\")) {
      out.push({ kind: "note", text: line, old: null, new: null });
    } else {
      out.push({ kind: "context", text: line.slice(1), old: oldNo++, new: newNo++ });
    }
  }
  return out;
}
