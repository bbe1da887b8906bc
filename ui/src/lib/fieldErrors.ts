// Puts FieldErrors next to their fields in the user's language: a path like `params[2].name` is
// reduced to a field kind (`paramName`) whose translations live under `fieldErrors.<kind>.<code>`,
// then `fieldErrors.generic.<code>`; the backend's English message is the last fallback.
import type { FieldError } from "@/bindings/FieldError";

type Translate = (key: string, named?: Record<string, unknown>) => string;
type HasKey = (key: string) => boolean;

/**
 * `params[2].name` -> `paramName`, `params.WHO` -> `runParam`, `notify[0].email[1]` ->
 * `notifyEmail`, `notify[0]` -> `notifyRule`, `timeoutSeconds` -> itself.
 */
export function fieldKind(path: string): string {
  const rule = /^notify\[\d+\](?:\.(\w+))?/.exec(path);
  if (rule)
    return rule[1] ? `notify${rule[1].charAt(0).toUpperCase()}${rule[1].slice(1)}` : "notifyRule";
  const item = /^params\[\d+\]\.(\w+)$/.exec(path);
  if (item?.[1]) return `param${item[1].charAt(0).toUpperCase()}${item[1].slice(1)}`;
  if (/^params\./.test(path)) return "runParam";
  return path.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * The text shown for one error. `preferMessage` (English UI) shows the backend's own sentence
 * rather than a generic translation, since it is more precise.
 */
export function translateFieldError(
  error: FieldError,
  t: Translate,
  te: HasKey,
  preferMessage = false,
): string {
  const specific = `fieldErrors.${fieldKind(error.path)}.${error.code}`;
  if (te(specific)) return t(specific);
  if (preferMessage && error.message) return error.message;
  const generic = `fieldErrors.generic.${error.code}`;
  if (te(generic)) return t(generic);
  return error.message || error.code;
}

/** First error per path, translated: what the form shows under each field. */
export function errorsByPath(
  errors: readonly FieldError[],
  t: Translate,
  te: HasKey,
  preferMessage = false,
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of errors) {
    if (!(e.path in map)) map[e.path] = translateFieldError(e, t, te, preferMessage);
  }
  return map;
}
