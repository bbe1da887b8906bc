import { mount } from "@vue/test-utils";
import { defineComponent, h, nextTick, ref } from "vue";
import { createRouter, createWebHashHistory, RouterView } from "vue-router";
import { describe, expect, it } from "vitest";
import { useMainScroll } from "./useMainScroll";

const Page = { render: () => h("p", "page") };

async function setup() {
  window.location.hash = "";
  const router = createRouter({
    history: createWebHashHistory(),
    routes: ["/", "/a", "/b"].map((path) => ({ path, component: Page })),
  });
  const Frame = defineComponent({
    setup() {
      const main = ref<HTMLElement | null>(null);
      useMainScroll(main);
      return () => h("main", { ref: main }, h(RouterView));
    },
  });
  await router.push("/");
  const wrapper = mount(Frame, { global: { plugins: [router] }, attachTo: document.body });
  const main = wrapper.find("main").element as HTMLElement;
  const settle = async () => {
    await nextTick();
    await nextTick();
  };
  // Back/Forward in jsdom: the popstate comes in a later task, the navigation after it.
  const arrive = async (path: string) => {
    for (let i = 0; i < 50 && router.currentRoute.value.path !== path; i++)
      await new Promise((r) => setTimeout(r, 5));
    await settle();
  };
  return { router, main, settle, arrive, wrapper };
}

describe("useMainScroll", () => {
  it("opens every new page at the top, however far the last one was scrolled", async () => {
    const { router, main, settle, wrapper } = await setup();
    main.scrollTop = 1500;
    await router.push("/a");
    await settle();
    expect(main.scrollTop, "a new page must not start where the last one was left").toBe(0);
    wrapper.unmount();
  });

  it("returns to where a page was left on Back and Forward", async () => {
    const { router, main, settle, arrive, wrapper } = await setup();
    await router.push("/a");
    await settle();
    main.scrollTop = 700;
    await router.push("/b");
    await settle();
    main.scrollTop = 300;

    router.back();
    await arrive("/a");
    expect(router.currentRoute.value.path).toBe("/a");
    expect(main.scrollTop, "Back restores the position the page was left at").toBe(700);

    router.forward();
    await arrive("/b");
    expect(router.currentRoute.value.path).toBe("/b");
    expect(main.scrollTop, "Forward restores the position, too").toBe(300);
    wrapper.unmount();
  });
});
