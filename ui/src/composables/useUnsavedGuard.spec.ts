import { mount } from "@vue/test-utils";
import { defineComponent, h } from "vue";
import { createRouter, createWebHashHistory, RouterView } from "vue-router";
import { describe, expect, it } from "vitest";
import { elementPlus } from "@/elementPlus";
import { i18n } from "@/i18n";
import { useUnsavedGuard } from "./useUnsavedGuard";

const Editor = defineComponent({
  setup() {
    useUnsavedGuard(() => true);
    return () => h("p", "editor with unsaved changes");
  },
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await wait(5);
}

describe("useUnsavedGuard", () => {
  it("asks on Back (popstate) and, on Stay, keeps the editor and its URL", async () => {
    const router = createRouter({
      history: createWebHashHistory(),
      routes: [
        { path: "/runs", component: { render: () => h("p", "runs") } },
        { path: "/templates/hello", component: Editor },
      ],
    });
    await router.push("/runs");
    const wrapper = mount(RouterView, {
      global: { plugins: [router, elementPlus, i18n] },
      attachTo: document.body,
    });
    await router.push("/templates/hello");
    await until(() => wrapper.text().includes("editor"));

    router.back();
    await until(() => document.querySelector(".el-message-box .confirm-cancel") !== null);
    // A browser follows that popstate with a hashchange (jsdom does not): the question must stay.
    window.dispatchEvent(new HashChangeEvent("hashchange"));
    await wait(50);
    const stay = document.querySelector<HTMLButtonElement>(".el-message-box .confirm-cancel");
    expect(stay, "Back from a dirty editor shows the Discard changes? dialog").not.toBeNull();
    stay?.click();
    await until(() => window.location.hash === "#/templates/hello");

    expect(router.currentRoute.value.path).toBe("/templates/hello");
    expect(window.location.hash, "Stay puts the editor's URL back").toBe("#/templates/hello");
    expect(wrapper.text()).toContain("editor");
    wrapper.unmount();
  });
});
