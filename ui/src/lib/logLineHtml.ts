// The HTML of rendered log lines, cached by seq: scrolling re-renders the window every frame, and
// parsing ANSI (plus marking search matches) once per line is enough. A new query starts over.
import type { LogLine } from "@/bindings/LogLine";
import { ansiToHtml } from "./ansi";
import { ansiToHtmlMarked } from "./ansiHighlight";

export class LineHtmlCache {
  private cache = new Map<number, string>();
  private query = "";

  constructor(private readonly limit = 4000) {}

  html(line: LogLine, query: string): string {
    if (query !== this.query) {
      this.cache.clear();
      this.query = query;
    }
    let value = this.cache.get(line.seq);
    if (value === undefined) {
      if (this.cache.size > this.limit) this.cache.clear();
      value = query ? ansiToHtmlMarked(line.text, query) : ansiToHtml(line.text);
      this.cache.set(line.seq, value);
    }
    return value;
  }
}
