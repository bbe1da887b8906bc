import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import type { AppRevision } from "@/bindings/AppRevision";
import type { ServiceState } from "@/bindings/ServiceState";
import { mountApp } from "@/test/mountApp";
import AppDownDialog from "./AppDownDialog.vue";
import AppRollbackDialog from "./AppRollbackDialog.vue";

afterEach(() => {
  document.body.innerHTML = "";
});

const svc = (service: string, tag: string): ServiceState => ({
  service,
  state: "running",
  health: "healthy",
  image: `localhost:5000/${service}:${tag}`,
  pinned: `localhost:5000/${service}@sha256:${tag.repeat(64).slice(0, 64)}`,
});

const revision: AppRevision = {
  number: 1,
  runId: 7,
  runNumber: 3,
  trigger: "manual",
  commit: null,
  config: "services: {}",
  services: [svc("db", "a"), svc("web", "b")],
  status: "deployed",
  error: null,
  createdAt: "2026-12-01T10:00:00Z",
};

describe("app dialogs", () => {
  it("a rollback shows each service's image now and after, and confirms the revision", async () => {
    const confirmed: number[] = [];
    mountApp(AppRollbackDialog, {
      props: {
        modelValue: true,
        name: "shop",
        revision,
        now: [svc("db", "a"), svc("web", "c")],
        onConfirm: (n: number) => confirmed.push(n),
      },
      attachTo: document.body,
    });
    await flushPromises();
    const web = document.querySelector('[data-testid="app-rollback-change-web"]')!;
    const db = document.querySelector('[data-testid="app-rollback-change-db"]')!;
    expect(web.getAttribute("data-changed"), "web runs another digest now").toBe("true");
    expect(web.textContent).toContain("localhost:5000/web:c");
    expect(web.textContent).toContain("localhost:5000/web:b");
    expect(db.getAttribute("data-changed")).toBe("false");
    expect(document.body.textContent).toContain("Roll back shop to revision #1?");
    (document.querySelector('[data-testid="app-rollback-confirm"]') as HTMLElement).click();
    expect(confirmed).toEqual([1]);
  });

  it("down keeps the volumes unless the box is ticked", async () => {
    const actions: string[] = [];
    const wrapper = mountApp(AppDownDialog, {
      props: {
        modelValue: true,
        name: "shop",
        endpoint: "local",
        onConfirm: (a: string) => actions.push(a),
        "onUpdate:modelValue": (v: boolean) => void wrapper.setProps({ modelValue: v }),
      },
      attachTo: document.body,
    });
    await flushPromises();
    const box = document.querySelector(
      '[data-testid="app-down-volumes"] input',
    ) as HTMLInputElement;
    expect(box.checked, "removing volumes loses data: never the default").toBe(false);
    (document.querySelector('[data-testid="app-down-confirm"]') as HTMLElement).click();
    expect(actions).toEqual(["down"]);
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    box.click();
    await flushPromises();
    (document.querySelector('[data-testid="app-down-confirm"]') as HTMLElement).click();
    expect(actions).toEqual(["down", "down-with-volumes"]);
  });
});
