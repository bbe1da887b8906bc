// Where a field path of the engine's errors (`steps[2].needs`, `params[0].name`,
// `triggers[1].webhook.secret`) is in the YAML the user typed, to mark the error at its line.
// Block-style YAML as people write templates: mappings by indentation, sequences of `- ` items
// (indented under their key or not), scalars, flow lists and block scalars (`script: |`), which
// are skipped as deeper lines. When a part of the path is not found, the line of the deepest part
// that was (the step, `steps:`) answers; a path not found at all answers line 1.

/** `steps[2].needs[0]` → ["steps", 2, "needs", 0]. */
export function parseFieldPath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

const indentOf = (line: string) => line.length - line.trimStart().length;
const isContent = (line: string) => {
  const trimmed = line.trim();
  return trimmed !== "" && !trimmed.startsWith("#") && trimmed !== "---";
};
const keyPattern = (key: string) =>
  new RegExp(`^(["']?)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\1\\s*:(\\s|$)`);

/** 1-based line of a field path in YAML text. */
export function yamlLineOf(yaml: string, path: string): number {
  const lines = yaml.split("\n");
  const parts = parseFieldPath(path);
  let start = 0;
  let end = lines.length;
  let found = -1;
  for (const part of parts) {
    const hit =
      typeof part === "number"
        ? sequenceItem(lines, start, end, part)
        : mappingKey(lines, start, end, part);
    if (!hit) break;
    found = hit.line;
    start = hit.start;
    end = hit.end;
  }
  return found + 1 || 1;
}

interface Hit {
  /** The line of the key or item. */
  line: number;
  /** Lines of its value (for a sequence item, from its own line, its dash blanked). */
  start: number;
  end: number;
}

/** The mapping in lines [start, end) at the indentation of its first content line. */
function mappingKey(lines: string[], start: number, end: number, key: string): Hit | null {
  let indent = -1;
  const pattern = keyPattern(key);
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? "";
    if (!isContent(line)) continue;
    const at = indentOf(line);
    if (indent < 0) indent = at;
    if (at < indent) break;
    if (at !== indent || !pattern.test(line.trimStart())) continue;
    return { line: i, start: i + 1, end: valueEnd(lines, i, end, at) };
  }
  return null;
}

/** Where the value of the key at line `at` ends: the next line as shallow, unless a sequence. */
function valueEnd(lines: string[], at: number, end: number, indent: number): number {
  for (let i = at + 1; i < end; i++) {
    const line = lines[i] ?? "";
    if (!isContent(line)) continue;
    const d = indentOf(line);
    if (d < indent || (d === indent && !line.trimStart().startsWith("-"))) return i;
  }
  return end;
}

/** The `n`th `- ` item of the sequence in lines [start, end). */
function sequenceItem(lines: string[], start: number, end: number, n: number): Hit | null {
  let indent = -1;
  let count = -1;
  for (let i = start; i < end; i++) {
    const line = lines[i] ?? "";
    if (!isContent(line)) continue;
    const at = indentOf(line);
    if (indent < 0) indent = at;
    if (at < indent) break;
    if (at !== indent || !/^-(\s|$)/.test(line.trimStart())) continue;
    if (++count < n) continue;
    let stop = end;
    for (let j = i + 1; j < end; j++) {
      const next = lines[j] ?? "";
      if (isContent(next) && indentOf(next) <= indent) {
        stop = j;
        break;
      }
    }
    // The item's first key sits on the dash line: blank the dash so it reads as a mapping.
    lines[i] = `${line.slice(0, at)} ${line.slice(at + 1)}`;
    return { line: i, start: i, end: stop };
  }
  return null;
}
