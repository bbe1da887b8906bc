import { describe, expect, it } from "vitest";
import en from "./en";
import zhCN from "./zh-CN";
import { normalizeLocale } from ".";

function flatten(tree: object, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") Object.assign(out, flatten(value, path));
    else out[path] = value;
  }
  return out;
}

const sources = import.meta.glob(["/src/**/*.{vue,ts}", "!/src/**/*.spec.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

describe("i18n completeness", () => {
  const enKeys = flatten(en);
  const zhKeys = flatten(zhCN);

  it("en and zh-CN have exactly the same keys", () => {
    expect(Object.keys(zhKeys).sort()).toEqual(Object.keys(enKeys).sort());
  });

  it("no message is empty in either language", () => {
    const empty = Object.entries({ ...enKeys, ...zhKeys }).filter(
      ([key, v]) => typeof v !== "string" || (v === "" && !key.endsWith(".sep")),
    );
    expect(empty).toEqual([]);
  });

  it("every literal key the components use exists", () => {
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*["']([a-zA-Z][\w.-]*)["']/g)) if (m[1]) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !(key in enKeys));
    expect(missing).toEqual([]);
  });

  it("picks zh-CN for any Chinese OS locale and English otherwise", () => {
    expect(normalizeLocale("zh-CN")).toBe("zh-CN");
    expect(normalizeLocale("zh_TW")).toBe("zh-CN");
    expect(normalizeLocale("zh-Hans-CN")).toBe("zh-CN");
    expect(normalizeLocale("en-US")).toBe("en");
    expect(normalizeLocale("de-DE")).toBe("en");
    expect(normalizeLocale(undefined)).toBe("en");
  });
});
