// ANSI SGR parser for log lines: turns terminal colour/style escapes into styled segments and
// escaped HTML. It deliberately supports only what CI output uses (SGR colours and text
// attributes); every other escape sequence (cursor moves, OSC titles/links, charset switches)
// and control character is stripped, and a carriage return keeps only what was drawn last.

export interface AnsiStyle {
  readonly fg: string | null;
  readonly bg: string | null;
  readonly bold: boolean;
  readonly dim: boolean;
  readonly italic: boolean;
  readonly underline: boolean;
  readonly inverse: boolean;
  readonly strike: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

export const PLAIN: AnsiStyle = Object.freeze({
  fg: null,
  bg: null,
  bold: false,
  dim: false,
  italic: false,
  underline: false,
  inverse: false,
  strike: false,
});

// ESC-introduced sequences (CSI with its final byte, OSC up to BEL/ST, any other ESC form) and
// C0 controls other than TAB.
/* eslint-disable no-control-regex -- matching control characters is the point here */
const ESCAPES =
  /\x1b(?:\[([0-?]*)[ -/]*([@-~])|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~]?)|[\x00-\x08\x0a-\x1f\x7f]/g;
const HAS_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
/* eslint-enable no-control-regex */

/** A colour from the 256-colour table: 0-15 use the theme's palette, the rest are computed. */
export function xterm256(index: number): string {
  if (index < 16) return `var(--ansi-${index})`;
  if (index < 232) {
    const i = index - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const grey = 8 + (index - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

function byte(value: number | undefined): number | null {
  return value !== undefined && Number.isInteger(value) && value >= 0 && value <= 255
    ? value
    : null;
}

/** Reads an extended colour (`5;n` or `2;r;g;b`) starting at `args[0]`; returns colour and args used. */
function extendedColour(args: number[]): [string | null, number] {
  if (args[0] === 5) {
    const n = byte(args[1]);
    return [n === null ? null : xterm256(n), 2];
  }
  if (args[0] === 2) {
    const [r, g, b] = [byte(args[1]), byte(args[2]), byte(args[3])];
    return [r === null || g === null || b === null ? null : `rgb(${r},${g},${b})`, 4];
  }
  return [null, 0];
}

function toNumbers(parts: string[]): number[] {
  return parts.map((p) => (p === "" ? 0 : Number(p)));
}

/** Applies one SGR parameter string (the part between `ESC[` and `m`) to a style. */
export function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const next = { ...style };
  const groups = params === "" ? ["0"] : params.split(";");
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] ?? "";
    if (group.includes(":")) {
      // ITU form, e.g. 38:2::255:0:0 or 38:5:208 or 4:3 (curly underline).
      const sub = toNumbers(group.split(":"));
      const code = sub[0];
      if (code === 38 || code === 48) {
        const rest = sub.slice(1);
        if (rest[0] === 2 && rest.length >= 5) rest.splice(1, 1); // drop the colour-space id
        const [colour] = extendedColour(rest);
        if (colour) next[code === 38 ? "fg" : "bg"] = colour;
      } else if (code === 4) {
        next.underline = sub[1] !== 0;
      }
      continue;
    }
    const code = group === "" ? 0 : Number(group);
    if (code === 38 || code === 48) {
      const [colour, used] = extendedColour(toNumbers(groups.slice(i + 1, i + 5)));
      if (colour) next[code === 38 ? "fg" : "bg"] = colour;
      i += used;
      continue;
    }
    applyCode(next, code);
  }
  return next;
}

function applyCode(s: { -readonly [K in keyof AnsiStyle]: AnsiStyle[K] }, code: number): void {
  if (code === 0) Object.assign(s, PLAIN);
  else if (code === 1) s.bold = true;
  else if (code === 2) s.dim = true;
  else if (code === 3) s.italic = true;
  else if (code === 4) s.underline = true;
  else if (code === 7) s.inverse = true;
  else if (code === 9) s.strike = true;
  else if (code === 21 || code === 22) s.bold = s.dim = false;
  else if (code === 23) s.italic = false;
  else if (code === 24) s.underline = false;
  else if (code === 27) s.inverse = false;
  else if (code === 29) s.strike = false;
  else if (code >= 30 && code <= 37) s.fg = xterm256(code - 30);
  else if (code === 39) s.fg = null;
  else if (code >= 40 && code <= 47) s.bg = xterm256(code - 40);
  else if (code === 49) s.bg = null;
  else if (code >= 90 && code <= 97) s.fg = xterm256(code - 90 + 8);
  else if (code >= 100 && code <= 107) s.bg = xterm256(code - 100 + 8);
}

/** What a terminal would show after carriage returns: the text after the last `\r`. */
function afterCarriageReturn(text: string): string {
  const trimmed = text.replace(/\r+$/, "");
  const cr = trimmed.lastIndexOf("\r");
  return cr === -1 ? trimmed : trimmed.slice(cr + 1);
}

function sameStyle(a: AnsiStyle, b: AnsiStyle): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.inverse === b.inverse &&
    a.strike === b.strike
  );
}

/** Splits a line into runs of text that share one style. */
export function parseAnsi(input: string): AnsiSegment[] {
  const text = afterCarriageReturn(input);
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = PLAIN;
  let last = 0;
  const push = (chunk: string) => {
    if (!chunk) return;
    const prev = segments[segments.length - 1];
    if (prev && sameStyle(prev.style, style)) prev.text += chunk;
    else segments.push({ text: chunk, style });
  };
  ESCAPES.lastIndex = 0;
  for (let m = ESCAPES.exec(text); m; m = ESCAPES.exec(text)) {
    push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === "m") style = applySgr(style, m[1] ?? "");
  }
  push(text.slice(last));
  return segments;
}

/** The visible text of a line, without any escape sequence. */
export function stripAnsi(input: string): string {
  if (!HAS_CONTROL.test(input)) return input;
  return afterCarriageReturn(input).replace(ESCAPES, "");
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** The class and style attributes of a styled span (empty for plain text). */
export function styleToHtmlAttrs(style: AnsiStyle): string {
  const classes: string[] = [];
  if (style.bold) classes.push("ansi-bold");
  if (style.dim) classes.push("ansi-dim");
  if (style.italic) classes.push("ansi-italic");
  if (style.underline) classes.push("ansi-underline");
  if (style.strike) classes.push("ansi-strike");
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) {
    [fg, bg] = [bg ?? "var(--log-bg)", fg ?? "var(--log-fg)"];
  }
  const css: string[] = [];
  if (fg) css.push(`color:${fg}`);
  if (bg) css.push(`background-color:${bg}`);
  const cls = classes.length ? ` class="${classes.join(" ")}"` : "";
  const sty = css.length ? ` style="${css.join(";")}"` : "";
  return cls + sty;
}

/**
 * HTML for a log line: every piece of text is escaped, and styles come only from the parser's own
 * values (palette variables and validated rgb numbers), so the result is safe for `v-html`.
 */
export function ansiToHtml(input: string): string {
  let html = "";
  for (const segment of parseAnsi(input)) {
    const attrs = styleToHtmlAttrs(segment.style);
    const text = escapeHtml(segment.text);
    html += attrs ? `<span${attrs}>${text}</span>` : text;
  }
  return html;
}
