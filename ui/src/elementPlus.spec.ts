import { createApp } from "vue";
import { describe, expect, it } from "vitest";
import { elementPlus } from "./elementPlus";

const sources = import.meta.glob(["/src/**/*.vue"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

/** `el-input-tag` → `ElInputTag`, the name Element Plus registers it under. */
function pascal(tag: string): string {
  return tag.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase());
}

function usedTags(): Map<string, string> {
  const used = new Map<string, string>();
  for (const [file, text] of Object.entries(sources)) {
    for (const m of text.matchAll(/<(el-[a-z-]+)/g)) used.set(m[1]!, file);
  }
  return used;
}

describe("Element Plus, only the components the pages use", () => {
  const app = createApp({});
  app.use(elementPlus);

  it("registers every component a template names", () => {
    const used = usedTags();
    expect(used.size, "the scan must find the pages' el- tags").toBeGreaterThan(10);
    const missing = [...used]
      .filter(([tag]) => !app.component(pascal(tag)))
      .map(([tag, f]) => `${tag} (${f})`);
    expect(missing, "a component a template uses must be in elementPlus.ts's COMPONENTS").toEqual(
      [],
    );
  });

  it("registers v-loading where a template uses it", () => {
    const uses = Object.values(sources).some((text) => text.includes("v-loading"));
    expect(!uses || app.directive("loading") !== undefined, "v-loading needs ElLoading").toBe(true);
  });

  it("leaves out components no page uses", () => {
    expect(
      app.component("ElTable"),
      "an unused component costs memory in every window",
    ).toBeUndefined();
  });
});
