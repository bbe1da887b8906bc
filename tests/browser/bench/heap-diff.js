// Compares two V8 heap snapshots of the same page (tests/browser/bench/ui-heap.js takes them after
// warm-up and at the end) and says where the growth is: in the page's own objects (JS objects,
// closures, arrays, strings, DOM nodes: what our code can hold) or in the engine (compiled code,
// V8's and Blink's internal tables, DevTools' records of the network requests). Prints the growth
// of each side and the constructors that grew most. Also usable alone:
//   node tests/browser/bench/heap-diff.js BEFORE.heapsnapshot AFTER.heapsnapshot
import fs from "node:fs";
import { fileURLToPath } from "node:url";

/** The page's own objects by snapshot node type; everything else (code, hidden, native blink::,
 * "system / ..." names, the performance timeline's entries, which the browser buffers up to a
 * bound) is the engine's. */
const OURS = new Set([
  "object",
  "closure",
  "array",
  "string",
  "concatenated string",
  "sliced string",
  "regexp",
  "number",
  "bigint",
]);

function isOurs(type, name) {
  if (type === "native")
    return !/^(blink::|system \/|v8::|Performance|LayoutShift|LargestContentfulPaint|DOMRectReadOnly)/.test(
      name,
    );
  if (!OURS.has(type)) return false;
  return !name.startsWith("system /") && name !== "(object properties)";
}

/** V8's number-to-string caches (arrays held by the roots): it sizes them itself. */
const ENGINE_CACHES = new Set(["smi_string_cache", "number_string_cache", "double_string_cache"]);

/**
 * Node offsets of the arrays that V8 sizes itself: the ENGINE_CACHES, and the hash tables of
 * WeakMaps and WeakSets, whose entries go with their keys (a Map's or Set's table stays ours).
 */
function engineTables(snap, width) {
  const meta = snap.snapshot.meta;
  const edgeWidth = meta.edge_fields.length;
  const [eType, eName, eTo] = ["type", "name_or_index", "to_node"].map((f) =>
    meta.edge_fields.indexOf(f),
  );
  const internal = meta.edge_types[0].indexOf("internal");
  const [iName, edgeCount] = ["name", "edge_count"].map((f) => meta.node_fields.indexOf(f));
  const tables = new Set();
  for (let n = 0, e = 0; n < snap.nodes.length; n += width) {
    const owner = snap.strings[snap.nodes[n + iName]];
    const weak = owner === "WeakMap" || owner === "WeakSet";
    for (let k = snap.nodes[n + edgeCount]; k > 0; k--, e += edgeWidth) {
      if (snap.edges[e + eType] !== internal) continue;
      const edge = snap.strings[snap.edges[e + eName]];
      if (ENGINE_CACHES.has(edge) || (weak && edge === "table")) tables.add(snap.edges[e + eTo]);
    }
  }
  return tables;
}

/** Count and self size per "type name" of a snapshot file. */
export function summarise(file) {
  const snap = JSON.parse(fs.readFileSync(file, "utf8"));
  const meta = snap.snapshot.meta;
  const fields = meta.node_fields;
  const width = fields.length;
  const types = meta.node_types[0];
  const [iType, iName, iSize] = ["type", "name", "self_size"].map((f) => fields.indexOf(f));
  const tables = engineTables(snap, width);
  const groups = new Map();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    let name = snap.strings[snap.nodes[i + iName]];
    if (tables.has(i)) name = "system / (cache or weak table)";
    else if (type.includes("string")) name = "";
    else if (name.startsWith("system / Context")) name = "system / Context";
    else if (type === "native" && name.startsWith("<")) name = name.replace(/\s.*/, ">"); // <td class=..> -> <td>
    name = name.slice(0, 60);
    const key = `${type}\t${name}`;
    const g = groups.get(key) ?? { type, name, count: 0, size: 0 };
    g.count++;
    g.size += snap.nodes[i + iSize];
    groups.set(key, g);
  }
  return groups;
}

/** Lines that say how `after` differs from `before`. */
export function compare(before, after, top = 8) {
  const a = summarise(before);
  const b = summarise(after);
  const rows = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key) ?? { count: 0, size: 0 };
    const y = b.get(key) ?? { count: 0, size: 0 };
    const { type, name } = y.type ? y : x;
    rows.push({
      type,
      name,
      count: y.count - x.count,
      size: y.size - x.size,
      ours: isOurs(type, name),
    });
  }
  const kib = (n) => `${n >= 0 ? "+" : ""}${(n / 1024).toFixed(1)} KiB`;
  const sum = (ours) => rows.filter((r) => r.ours === ours).reduce((s, r) => s + r.size, 0);
  const lines = [`page objects ${kib(sum(true))}, engine ${kib(sum(false))}`];
  for (const ours of [true, false]) {
    const grown = rows
      .filter((r) => r.ours === ours && (r.size !== 0 || r.count !== 0))
      .sort((p, q) => Math.abs(q.size) - Math.abs(p.size));
    lines.push(`  ${ours ? "page objects" : "engine"}, most changed:`);
    for (const r of grown.slice(0, top))
      lines.push(
        `    ${kib(r.size).padStart(12)} ${String((r.count >= 0 ? "+" : "") + r.count).padStart(7)}  ${r.type} ${r.name}`,
      );
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [before, after] = process.argv.slice(2);
  if (!before || !after) {
    console.error("usage: node heap-diff.js BEFORE.heapsnapshot AFTER.heapsnapshot");
    process.exit(2);
  }
  for (const line of compare(before, after, 20)) console.log(line);
}
