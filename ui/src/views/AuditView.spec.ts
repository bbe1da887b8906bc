import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { AuditEntry } from "@/bindings/AuditEntry";
import { mountApp } from "@/test/mountApp";
import AuditView from "./AuditView.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const entry = (id: number, patch: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: "2026-12-04T10:00:00Z",
  actor: "ana",
  action: "run.start",
  resource: `run ${id} of template web`,
  origin: "127.0.0.1",
  result: "ok",
  detail: null,
  ...patch,
});

async function open(answer: (filter: Record<string, unknown>) => AuditEntry[]) {
  const filters: Array<Record<string, unknown>> = [];
  mockIPC((cmd, args) => {
    if (cmd !== "audit_list") return null;
    const filter = (args as { filter: Record<string, unknown> }).filter;
    filters.push(filter);
    return answer(filter);
  });
  const wrapper = mountApp(AuditView, { attachTo: document.body });
  await flushPromises();
  return { wrapper, filters };
}

describe("the audit page", () => {
  it("lists who did what, and words a failure by its code", async () => {
    const { wrapper } = await open(() => [
      entry(2, { actor: "token bot (ana)", action: "token.revoke", result: "forbidden" }),
      entry(1),
    ]);
    expect(wrapper.findAll('[data-testid^="audit-row-"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="audit-row-2"]').text()).toContain("token bot (ana)");
    expect(wrapper.find('[data-testid="audit-result-2"]').text()).toBe("Not allowed");
    expect(wrapper.find('[data-testid="audit-result-1"]').classes()).toContain("ok");
    wrapper.unmount();
  });

  it("filters by actor and action, and offers to clear a filter that matches nothing", async () => {
    const { wrapper, filters } = await open((f) => (f.actor ? [] : [entry(1)]));
    await wrapper.find('input[data-testid="audit-actor"]').setValue("bob");
    await wrapper.find('[data-testid="audit-filters"]').trigger("submit");
    await flushPromises();
    expect(filters.at(-1)).toMatchObject({ actor: "bob", action: null, before: null });
    expect(wrapper.text()).toContain("No entry matches");
    const clear = wrapper.findAll("button").find((b) => b.text() === "Clear the filters");
    await clear!.trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid^="audit-row-"]')).toHaveLength(1);
    wrapper.unmount();
  });

  it("pages back through older entries", async () => {
    const page = Array.from({ length: 100 }, (_, i) => entry(200 - i));
    const { wrapper, filters } = await open((f) => (f.before ? [entry(50)] : page));
    await wrapper.find('[data-testid="audit-more"]').trigger("click");
    await flushPromises();
    expect(filters.at(-1)).toMatchObject({ before: 101 });
    expect(wrapper.findAll('[data-testid^="audit-row-"]')).toHaveLength(101);
    expect(wrapper.find('[data-testid="audit-more"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("shows an empty state when nothing was recorded", async () => {
    const { wrapper } = await open(() => []);
    expect(wrapper.text()).toContain("Nothing recorded yet");
    wrapper.unmount();
  });
});
