import { describe, expect, it } from "vitest";
import en from "@/i18n/en";
import zhCN from "@/i18n/zh-CN";
import { ENUM_LABELS, KNOWN_TRIGGERS, UNLABELLED_ENUMS } from "./enumLabels";

// The bindings as text: the values are read from the generated files themselves, so a value the
// backend adds fails this test until both languages label it.
const bindings = import.meta.glob("/src/bindings/*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** Binding name → its values, for every binding that is a union of string literals. */
function stringUnions(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [path, text] of Object.entries(bindings)) {
    const m = /export type (\w+) = ((?:\s*\|?\s*"[^"]*")+);/.exec(text);
    if (!m?.[1] || !m[2]) continue;
    const name = path.replace(/^.*\/|\.ts$/g, "");
    out[name] = [...m[2].matchAll(/"([^"]*)"/g)].map((v) => v[1] ?? "");
  }
  return out;
}

function lookup(tree: object, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined,
      tree,
    );
}

const LOCALES = { en, "zh-CN": zhCN } as const;

function unlabelled(prefix: string, values: readonly string[]): string[] {
  const missing: string[] = [];
  for (const [locale, messages] of Object.entries(LOCALES)) {
    for (const value of values) {
      const label = lookup(messages, `${prefix}.${value}`);
      if (typeof label !== "string" || label === "") missing.push(`${locale}: ${prefix}.${value}`);
    }
  }
  return missing;
}

describe("enum labels", () => {
  const unions = stringUnions();

  it("finds the string unions of the bindings", () => {
    expect(unions.RunStatus, "the RunStatus binding is a string union").toContain("timed_out");
    expect(unions.TemplateKind, "the TemplateKind binding is a string union").toContain("shell");
  });

  it.each(Object.entries(ENUM_LABELS))(
    "every %s value has a label in en and zh-CN",
    (binding, prefixes) => {
      const values = unions[binding];
      expect(values, `ui/src/bindings/${binding}.ts should be a string union`).toBeDefined();
      for (const prefix of prefixes) {
        expect(unlabelled(prefix, values ?? []), `labels missing under ${prefix}`).toEqual([]);
      }
    },
  );

  it("every known trigger has a label in en and zh-CN", () => {
    expect(unlabelled("trigger", KNOWN_TRIGGERS)).toEqual([]);
  });

  it("every string union of the bindings is either labelled or declared as never shown", () => {
    const declared = new Set<string>([...Object.keys(ENUM_LABELS), ...UNLABELLED_ENUMS]);
    const undeclared = Object.keys(unions).filter((name) => !declared.has(name));
    expect(undeclared, "add the new enum to ENUM_LABELS in lib/enumLabels.ts").toEqual([]);
  });
});
