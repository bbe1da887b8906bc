// Small text helpers shared by editors and dialogs.

/** Converts CRLF and lone CR line endings to LF; `changed` tells whether anything was converted. */
export function normalizeNewlines(text: string): { text: string; changed: boolean } {
  if (!text.includes("\r")) return { text, changed: false };
  return { text: text.replace(/\r\n?/g, "\n"), changed: true };
}

/** `base` if it is free, else `base-2`, `base-3`, ... (kept within 64 characters). */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `-${i}`;
    const candidate = `${base.slice(0, 64 - suffix.length)}${suffix}`;
    if (!names.has(candidate)) return candidate;
  }
}

/** A free name for a copy: `hello-copy`, `hello-copy-2`, ... */
export function copyName(name: string, taken: Iterable<string>): string {
  return uniqueName(`${name.slice(0, 64 - "-copy".length)}-copy`, taken);
}
