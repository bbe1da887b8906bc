import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { createMemoryHistory, createRouter } from "vue-router";
import appRouter from "@/router";
import { mountApp } from "@/test/mountApp";
import TemplateEditView from "./TemplateEditView.vue";

afterEach(() => clearMocks());

describe("the template editor", () => {
  it("puts the Script right after General, before the less used sections", async () => {
    mockIPC(() => []);
    const router = createRouter({
      history: createMemoryHistory(),
      routes: appRouter.options.routes,
    });
    await router.push("/templates/new");
    const wrapper = mountApp(TemplateEditView, { global: { plugins: [router] } });
    await flushPromises();
    const titles = wrapper.findAll("h2.panel-title").map((h) => h.text());
    expect(titles.slice(0, 3)).toEqual(["General", "Script", "Parameters"]);
    wrapper.unmount();
  });
});
