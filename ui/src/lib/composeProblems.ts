// The compose file's problems as the engine reports them (`compose` field errors, one sentence
// each, YAML syntax errors naming "line L, column C"): those with a line are marked at it in the
// editor; the others are listed under it.
import type { FieldError } from "@/bindings/FieldError";

export interface ComposeProblems {
  /** Problems at a line of the file (1-based). */
  atLine: { line: number; message: string }[];
  /** Problems of the file as a whole. */
  general: string[];
}

const LINE = /\bline (\d+)(?:, column (\d+))?/;

/** The problems of the YAML field `path` (`compose`, or a helm template's `values`). */
export function composeProblems(errors: readonly FieldError[], path = "compose"): ComposeProblems {
  const out: ComposeProblems = { atLine: [], general: [] };
  for (const e of errors) {
    if (e.path !== path || e.code === "required") continue;
    const m = LINE.exec(e.message);
    if (m?.[1]) out.atLine.push({ line: Number(m[1]), message: e.message });
    else out.general.push(e.message);
  }
  return out;
}

/** Errors addressed to `files` or `files[i]`, one line each. */
export function filesErrors(errors: Record<string, string>): string {
  return Object.entries(errors)
    .filter(([path]) => path === "files" || path.startsWith("files["))
    .map(([path, message]) => (path === "files" ? message : `${path}: ${message}`))
    .join("\n");
}
