import { describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "./unifiedDiff";

describe("parseUnifiedDiff", () => {
  it("numbers context, removed and added lines from each hunk's header", () => {
    const diff = [
      "--- #1",
      "+++ #2",
      "@@ -3,3 +3,3 @@",
      " services:",
      "-  image: web:1",
      "+  image: web:2",
      "   ports: []",
      "",
    ].join("\n");
    const lines = parseUnifiedDiff(diff);
    expect(lines.map((l) => [l.kind, l.old, l.new])).toEqual([
      ["hunk", null, null],
      ["context", 3, 3],
      ["removed", 4, null],
      ["added", null, 4],
      ["context", 5, 5],
    ]);
    expect(lines[2]?.text, "the sign is not part of the text").toBe("  image: web:1");
  });

  it("gives nothing for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
  });
});
