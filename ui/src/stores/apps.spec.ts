import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { useAppStore } from "./apps";

const app = (id: number, name: string, target: string) => ({
  id,
  kind: "compose",
  name,
  target,
  template: name,
  current: null,
});

describe("apps store", () => {
  let asked: string[];

  beforeEach(() => {
    setActivePinia(createPinia());
    asked = [];
    mockIPC((cmd, args) => {
      if (cmd === "app_list")
        return [app(1, "shop", "local"), app(2, "shop", "far"), app(3, "blog", "pi")];
      if (cmd === "app_get") {
        const name = (args as { name: string }).name;
        asked.push(name);
        if (name === "blog@pi")
          throw { code: "internal", message: "compose is missing", fields: [] };
        return {
          app: app(1, "shop", name.split("@")[1]!),
          revisions: [],
          services: [],
          servicesError: null,
          drifted: false,
          healthy: false,
        };
      }
      return null;
    });
  });
  afterEach(() => clearMocks());

  it("lists the apps, then asks each by NAME@ENDPOINT what runs", async () => {
    const store = useAppStore();
    await store.refresh();
    expect(store.loaded).toBe(true);
    expect(asked.sort(), "two projects called shop must not be confused").toEqual([
      "blog@pi",
      "shop@far",
      "shop@local",
    ]);
    expect(store.detailOf(store.items[1]!)?.app.target).toBe("far");
    expect(store.detailOf(store.items[2]!), "a failed answer has no detail").toBeNull();
    expect(store.failedOf(store.items[2]!)?.message).toBe("compose is missing");
  });

  it("keeps the error when the list cannot be read", async () => {
    clearMocks();
    mockIPC(() => {
      throw { code: "internal", message: "database locked", fields: [] };
    });
    const store = useAppStore();
    await store.refresh();
    expect(store.loaded).toBe(false);
    expect(store.error?.message).toBe("database locked");
  });
});
