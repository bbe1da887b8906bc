import { afterEach, describe, expect, it } from "vitest";
import { Box } from "@element-plus/icons-vue";
import type { ApiError } from "@/bindings/ApiError";
import { mountApp } from "@/test/mountApp";
import ResourceListPage from "./ResourceListPage.vue";

afterEach(() => {
  document.body.innerHTML = "";
});

const base = {
  title: "Things",
  subtitle: "2 things",
  intro: "What things are for.",
  addText: "Add thing",
  addTestid: "things-add",
  error: null as ApiError | null,
  loaded: true,
  empty: false,
  emptyTitle: "No things yet",
  emptyText: "Add one.",
  emptyIcon: Box,
  skeletonColumns: ["100px", "auto"],
};

function mountPage(props: Partial<typeof base> = {}) {
  return mountApp(ResourceListPage, {
    props: { ...base, ...props },
    slots: { default: '<table data-testid="things-table" />', after: "<p class='after'>after</p>" },
  });
}

describe("resource list page", () => {
  it("shows the header, the intro, the table and what comes after", () => {
    const w = mountPage();
    expect(w.find("h1").text()).toBe("Things");
    expect(w.text()).toContain("2 things");
    expect(w.find(".intro").text()).toBe("What things are for.");
    expect(w.find('[data-testid="things-table"]').exists()).toBe(true);
    expect(w.find(".after").exists()).toBe(true);
  });

  it("shows a skeleton while loading, then the empty state whose button adds", async () => {
    const w = mountPage({ loaded: false });
    expect(w.find(".skeleton").exists()).toBe(true);
    expect(w.find('[data-testid="things-table"]').exists()).toBe(false);
    await w.setProps({ loaded: true, empty: true });
    expect(w.text()).toContain("No things yet");
    expect(w.find('[data-testid="things-table"]').exists()).toBe(false);
    await w.find(".empty-actions button").trigger("click");
    await w.find('[data-testid="things-add"]').trigger("click");
    expect(w.emitted("add")).toHaveLength(2);
  });

  it("shows the load error instead of the table, with a retry", () => {
    const w = mountPage({ error: { code: "io", message: "disk full", fields: [], params: {} } });
    expect(w.text()).toContain("disk full");
    expect(w.find('[data-testid="things-table"]').exists()).toBe(false);
  });
});
