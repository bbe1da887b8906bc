import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { createMemoryHistory, createRouter } from "vue-router";
import type { AppDetail } from "@/bindings/AppDetail";
import type { AppRevision } from "@/bindings/AppRevision";
import appRouter from "@/router";
import { mountApp } from "@/test/mountApp";
import AppView from "./AppView.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const rev = (number: number, helmRevision: number, status = "deployed"): AppRevision => ({
  number,
  runId: 10 + number,
  runNumber: number,
  trigger: "manual",
  commit: null,
  config: "chartPath: deploy/chart\nrelease: web\n",
  services: [],
  status,
  error: null,
  helmRevision,
  createdAt: "2026-12-01T10:00:00Z",
});

const web: AppDetail = {
  app: {
    id: 1,
    kind: "helm",
    name: "web",
    target: "prod/shop",
    template: "web",
    current: rev(2, 2, "failed"),
  },
  revisions: [rev(2, 2, "failed"), rev(1, 1)],
  services: [],
  servicesError: null,
  drifted: true,
  healthy: false,
  helm: {
    helmRevision: 2,
    status: "pending-upgrade",
    description: "Preparing upgrade",
    workloads: [
      { kind: "Deployment", name: "web", ready: 0, desired: 1, images: ["nginx:1.16.0"] },
    ],
    pending: "roll it back to revision 1, the last one deployed (helm rollback web 1 -n shop)",
    recoverTo: 1,
  },
};

describe("a Helm app's page", () => {
  it("shows the release, its workloads and the way out of pending, and recovers through a run", async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "app_get") return web;
      if (cmd === "app_recover") return { id: 77, number: 3 };
      return null;
    });
    const router = createRouter({
      history: createMemoryHistory(),
      routes: appRouter.options.routes,
    });
    await router.push("/apps/web@prod%2Fshop");
    const wrapper = mountApp(AppView, { global: { plugins: [router] }, attachTo: document.body });
    await flushPromises();
    expect(wrapper.find('[data-testid="app-helm-status"]').text()).toBe("pending-upgrade");
    expect(wrapper.find('[data-testid="app-helm-workloads"]').text()).toContain("Deployment/web");
    expect(wrapper.find('[data-testid="app-helm-workloads"]').text()).toContain("0/1");
    expect(wrapper.find('[data-testid="app-revision-1"]').text()).toContain("helm 1");
    expect(wrapper.find('[data-testid="app-stop"]').exists(), "a release has no stop").toBe(false);
    expect(wrapper.find('[data-testid="app-down"]').text()).toBe("Uninstall");
    const recover = wrapper.find('[data-testid="app-helm-recover"]');
    expect(recover.text()).toBe("Roll back to Helm revision 1");
    await recover.trigger("click");
    await flushPromises();
    (document.querySelector(".el-message-box .el-button--primary") as HTMLElement).click();
    await flushPromises();
    expect(calls.find(([c]) => c === "app_recover")?.[1]).toEqual({ name: "web@prod/shop" });
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe("/runs/77"), 3000);
    wrapper.unmount();
  });
});
