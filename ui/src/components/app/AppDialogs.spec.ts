import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { AppRevision } from "@/bindings/AppRevision";
import type { ServiceState } from "@/bindings/ServiceState";
import { mountApp } from "@/test/mountApp";
import AppDownDialog from "./AppDownDialog.vue";
import AppRollbackDialog from "./AppRollbackDialog.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const pin = (s: ServiceState) => ({ image: s.image, pinned: s.pinned });

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
  it("a rollback shows what changes from the current revision, and confirms the revision", async () => {
    const asked: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== "app_diff") return null;
      asked.push(args);
      return {
        from: 2,
        to: 1,
        config: "--- #2\n+++ #1\n@@ -1,1 +1,1 @@\n-a: 2\n+a: 1\n",
        images: [
          { service: "db", from: pin(svc("db", "a")), to: pin(svc("db", "a")), changed: false },
          { service: "web", from: pin(svc("web", "c")), to: pin(svc("web", "b")), changed: true },
        ],
      };
    });
    const confirmed: number[] = [];
    mountApp(AppRollbackDialog, {
      props: {
        modelValue: true,
        app: "shop@local",
        name: "shop",
        revision,
        current: 2,
        onConfirm: (n: number) => confirmed.push(n),
      },
      attachTo: document.body,
    });
    await flushPromises();
    expect(asked).toEqual([{ name: "shop@local", from: 2, to: 1 }]);
    const web = document.querySelector('[data-testid="app-diff-image-web"]')!;
    const db = document.querySelector('[data-testid="app-diff-image-db"]')!;
    expect(web.getAttribute("data-changed"), "web runs another digest now").toBe("true");
    expect(web.textContent).toContain("localhost:5000/web:c");
    expect(web.textContent).toContain("localhost:5000/web:b");
    expect(db.getAttribute("data-changed")).toBe("false");
    expect(document.querySelector('[data-testid="app-diff-config"]')?.textContent).toContain(
      "+a: 1",
    );
    expect(document.body.textContent).toContain("Roll back shop to revision #1?");
    expect(document.body.textContent).toContain("from the current revision #2");
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
