// ANSI-coloured HTML of a log line with the search matches wrapped in <mark>. Matching runs on
// the visible text (escapes removed, like the backend's search), then each styled segment is cut
// at the match boundaries, so a match may span several colours.
import { escapeHtml, parseAnsi, styleToHtmlAttrs } from "./ansi";
import { matchRanges } from "./logSearch";

export function ansiToHtmlMarked(input: string, query: string): string {
  const segments = parseAnsi(input);
  const ranges = matchRanges(segments.map((s) => s.text).join(""), query);
  let html = "";
  let offset = 0;
  let r = 0;
  for (const segment of segments) {
    const end = offset + segment.text.length;
    let inner = "";
    let at = offset;
    while (at < end) {
      while (r < ranges.length && (ranges[r]?.[1] ?? 0) <= at) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        inner += escapeHtml(segment.text.slice(at - offset));
        at = end;
      } else if (range[0] > at) {
        inner += escapeHtml(segment.text.slice(at - offset, range[0] - offset));
        at = range[0];
      } else {
        const stop = Math.min(range[1], end);
        inner += `<mark class="log-mark">${escapeHtml(segment.text.slice(at - offset, stop - offset))}</mark>`;
        at = stop;
      }
    }
    const attrs = styleToHtmlAttrs(segment.style);
    html += attrs ? `<span${attrs}>${inner}</span>` : inner;
    offset = end;
  }
  return html;
}
