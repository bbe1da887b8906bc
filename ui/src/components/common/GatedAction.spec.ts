// In a browser, an action the signed-in role lacks stays visible, disabled, and says why; in the
// desktop app (or with the scope) nothing is in the way.
import { afterEach, describe, expect, it } from "vitest";
import { h } from "vue";
import { useHttpTransport } from "@/api";
import type { HttpClient } from "@/api/http/client";
import { useAuthStore } from "@/stores/auth";
import { mountApp } from "@/test/mountApp";
import GatedAction from "./GatedAction.vue";

function mountGate() {
  return mountApp(GatedAction, {
    props: { scope: "run", action: "run" },
    slots: {
      default: (p: { denied: boolean }) =>
        h("button", { disabled: p.denied, "data-testid": "run" }),
    },
  });
}

afterEach(() => useHttpTransport(null));

describe("GatedAction", () => {
  it("disables a viewer's Run in a browser and gives the reason", async () => {
    useHttpTransport({} as HttpClient);
    const wrapper = mountGate();
    const auth = useAuthStore();
    auth.user = {
      id: 2,
      name: "vic",
      role: "viewer",
      disabled: false,
      grants: [],
      lockedUntil: null,
      createdAt: "2026-12-01T00:00:00Z",
    };
    auth.scopes = ["read"];
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="run"]').attributes("disabled")).toBeDefined();
    expect(wrapper.find('[data-testid="denied-action"]').attributes("data-denied-reason")).toBe(
      "Your role (Viewer) cannot run templates.",
    );
  });

  it("leaves the action alone for a role that has the scope", async () => {
    useHttpTransport({} as HttpClient);
    const wrapper = mountGate();
    useAuthStore().scopes = ["read", "run"];
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[data-testid="run"]').attributes("disabled")).toBeUndefined();
    expect(wrapper.find('[data-testid="denied-action"]').exists()).toBe(false);
  });

  it("denies nothing in the desktop app", () => {
    const wrapper = mountGate();
    expect(wrapper.find('[data-testid="run"]').attributes("disabled")).toBeUndefined();
  });
});
