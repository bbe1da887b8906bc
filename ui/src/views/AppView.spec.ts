import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { createMemoryHistory, createRouter } from "vue-router";
import type { AppRevision } from "@/bindings/AppRevision";
import type { ServiceState } from "@/bindings/ServiceState";
import appRouter from "@/router";
import { mountApp } from "@/test/mountApp";
import AppView from "./AppView.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const svc = (service: string, tag: string, patch: Partial<ServiceState> = {}): ServiceState => ({
  service,
  state: "running",
  health: "healthy",
  image: `localhost:5000/${service}:${tag}`,
  pinned: `localhost:5000/${service}@sha256:${tag.repeat(64).slice(0, 64)}`,
  ...patch,
});
const rev = (number: number, tag: string, status = "deployed"): AppRevision => ({
  number,
  runId: 10 + number,
  runNumber: number,
  trigger: number === 3 ? "rollback to #1" : "manual",
  commit: null,
  config: `services:\n  web:\n    image: localhost:5000/web:${tag}\n`,
  services: [svc("web", tag)],
  status,
  error: status === "failed" ? "web is unhealthy" : null,
  createdAt: "2026-12-01T10:00:00Z",
});

/** What app_diff answers: web's image by tag (#2 runs tag 2, the others tag 1), and the changed line. */
function diffOf({ from, to }: { from: number; to: number }) {
  const tag = (n: number) => (n === 2 ? "2" : "1");
  const image = (n: number) => ({
    image: `localhost:5000/web:${tag(n)}`,
    pinned: svc("web", tag(n)).pinned,
  });
  const changed = tag(from) !== tag(to);
  return {
    from,
    to,
    config: changed
      ? `--- #${from}\n+++ #${to}\n@@ -1,3 +1,3 @@\n services:\n   web:\n-    image: localhost:5000/web:${tag(from)}\n+    image: localhost:5000/web:${tag(to)}\n`
      : "",
    images: [{ service: "web", from: image(from), to: image(to), changed }],
  };
}

async function open(
  detail: Record<string, unknown>,
  calls: Array<[string, unknown]> = [],
  path = "/apps/shop@local",
) {
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "app_get") return detail;
    if (cmd === "app_rollback") return { id: 99, number: 4 };
    if (cmd === "app_diff") return diffOf(args as { from: number; to: number });
    return null;
  });
  const router = createRouter({ history: createMemoryHistory(), routes: appRouter.options.routes });
  await router.push(path);
  const wrapper = mountApp(AppView, { global: { plugins: [router] }, attachTo: document.body });
  await flushPromises();
  return { wrapper, router };
}

const revisions = [rev(3, "1"), rev(2, "2", "failed"), rev(1, "1")];
const shop = {
  app: {
    id: 1,
    kind: "compose",
    name: "shop",
    target: "local",
    template: "shop",
    current: revisions[0],
  },
  revisions,
  services: [svc("web", "2", { health: "unhealthy" })],
  servicesError: null,
  drifted: true,
  healthy: false,
};

describe("an app's page", () => {
  it("shows its services, health and drift, and offers rollback only to other deployed revisions", async () => {
    const { wrapper } = await open(shop);
    expect(wrapper.find('[data-testid="app-health"]').attributes("data-health")).toBe("unhealthy");
    expect(wrapper.find('[data-testid="app-sync"]').attributes("data-sync")).toBe("drifted");
    expect(wrapper.find('[data-testid="app-service-web"]').text()).toContain(
      "localhost:5000/web:2",
    );
    expect(
      wrapper.find('[data-testid="app-rollback-3"]').exists(),
      "#3 is what should run now",
    ).toBe(false);
    expect(
      wrapper.find('[data-testid="app-rollback-2"]').exists(),
      "#2 failed: nothing to go back to",
    ).toBe(false);
    expect(wrapper.find('[data-testid="app-rollback-1"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="app-revision-3"]').text()).toContain("Rollback to #1");
    wrapper.unmount();
  });

  it("rolls back after confirmation and opens the new run", async () => {
    const calls: Array<[string, unknown]> = [];
    const { wrapper, router } = await open(shop, calls);
    await wrapper.find('[data-testid="app-rollback-1"]').trigger("click");
    await flushPromises();
    expect(
      calls.find(([c]) => c === "app_diff")?.[1],
      "what changes is from the current revision #3 to #1",
    ).toEqual({ name: "shop@local", from: 3, to: 1 });
    expect(
      document.querySelector(
        '[data-testid="app-rollback-dialog"] [data-testid="app-diff-same-config"]',
      )?.textContent,
    ).toContain("The configurations are the same");
    (document.querySelector('[data-testid="app-rollback-confirm"]') as HTMLElement).click();
    await flushPromises();
    expect(calls.find(([c]) => c === "app_rollback")?.[1]).toEqual({ name: "shop@local", to: 1 });
    // The run page is loaded on demand: give a busy machine time to compile it.
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe("/runs/99"), {
      timeout: 5000,
    });
    wrapper.unmount();
  });

  it("compares any two revisions: the previous one against the current at first, then as picked", async () => {
    const calls: Array<[string, unknown]> = [];
    const { wrapper } = await open(shop, calls);
    await wrapper.find('[data-testid="app-compare"]').trigger("click");
    await flushPromises();
    expect(calls.filter(([c]) => c === "app_diff").map(([, a]) => a)).toEqual([
      { name: "shop@local", from: 2, to: 3 },
    ]);
    const dialog = document.querySelector('[data-testid="app-compare-dialog"]')!;
    const web = dialog.querySelector('[data-testid="app-diff-image-web"]')!;
    expect(web.getAttribute("data-changed"), "#2 ran another image than #3").toBe("true");
    const kinds = [...dialog.querySelectorAll('[data-testid="app-diff-config"] .line')].map((l) => [
      l.getAttribute("data-kind"),
      l.textContent?.replace(/\s+/g, " ").trim(),
    ]);
    expect(kinds).toContainEqual(["removed", "3- image: localhost:5000/web:2"]);
    expect(kinds).toContainEqual(["added", "3+ image: localhost:5000/web:1"]);
    (dialog.querySelector('[data-testid="app-compare-swap"]') as HTMLElement).click();
    await flushPromises();
    expect(calls.filter(([c]) => c === "app_diff").at(-1)?.[1]).toEqual({
      name: "shop@local",
      from: 3,
      to: 2,
    });
    wrapper.unmount();
  });

  it("opens the comparison a link asks for (?compare=1..2)", async () => {
    const calls: Array<[string, unknown]> = [];
    const { wrapper } = await open(shop, calls, "/apps/shop@local?compare=1..2");
    await flushPromises();
    expect(calls.filter(([c]) => c === "app_diff").map(([, a]) => a)).toEqual([
      { name: "shop@local", from: 1, to: 2 },
    ]);
    expect(document.querySelector('[data-testid="app-compare-dialog"]')).not.toBeNull();
    wrapper.unmount();
  });

  it("says why the services could not be read, and keeps the revisions", async () => {
    const { wrapper } = await open({
      ...shop,
      services: [],
      servicesError: "Docker is not reachable at tcp://far:2376",
      drifted: false,
    });
    expect(wrapper.find('[data-testid="app-services-error"]').text()).toContain("tcp://far:2376");
    expect(wrapper.find('[data-testid="app-health"]').attributes("data-health")).toBe("unknown");
    expect(
      wrapper.find('[data-testid="app-sync"]').exists(),
      "no drift claim without the services",
    ).toBe(false);
    expect(wrapper.findAll('[data-testid^="app-revision-"]').length).toBeGreaterThan(0);
    wrapper.unmount();
  });
});
