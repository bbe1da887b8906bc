import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { useSecretStore } from "./secrets";

const KEYRING = {
  code: "keyring",
  message: "the keyring is locked: unlock it (gnome-keyring-daemon --unlock) and try again",
  fields: [],
};

describe("secrets store", () => {
  let calls: Array<[string, unknown]>;
  let keyringDown: boolean;

  beforeEach(() => {
    setActivePinia(createPinia());
    calls = [];
    keyringDown = false;
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "secret_list")
        return [
          { name: "b-token", backend: "keyring", updatedAt: "2026-11-25T18:40:00Z" },
          { name: "a-key", backend: "file", updatedAt: "2026-11-20T10:00:00Z" },
        ];
      if (keyringDown) throw KEYRING;
      if (cmd === "secret_set") {
        const a = args as { name: string };
        return { name: a.name, backend: "keyring", updatedAt: "2026-11-26T00:00:00Z" };
      }
      return null;
    });
  });
  afterEach(() => clearMocks());

  it("lists names sorted, and never asks for a value", async () => {
    const store = useSecretStore();
    await store.refresh();
    expect(store.names).toEqual(["a-key", "b-token"]);
    expect(calls.map(([cmd]) => cmd)).toEqual(["secret_list"]);
    expect(JSON.stringify(store.items)).not.toContain("value");
  });

  it("adds and replaces a secret; the value goes to the backend and is not kept", async () => {
    const store = useSecretStore();
    await store.refresh();
    await store.save("c-pass", "hunter2");
    await store.save("a-key", "-----BEGIN KEY-----\nabc\n-----END KEY-----");
    expect(calls[1]).toEqual(["secret_set", { name: "c-pass", value: "hunter2" }]);
    expect(store.names).toEqual(["a-key", "b-token", "c-pass"]);
    expect(store.items.find((s) => s.name === "a-key")?.backend).toBe("keyring");
    expect(JSON.stringify(store.$state)).not.toContain("hunter2");
  });

  it("keeps a keyring error until a change succeeds", async () => {
    const store = useSecretStore();
    await store.refresh();
    keyringDown = true;
    await expect(store.save("x", "y")).rejects.toMatchObject({ code: "keyring" });
    expect(store.keyringError?.message).toContain("unlock");
    await expect(store.remove("a-key")).rejects.toMatchObject({ code: "keyring" });
    expect(store.names).toContain("a-key");
    keyringDown = false;
    await store.remove("a-key");
    expect(store.keyringError).toBeNull();
    expect(store.names).toEqual(["b-token"]);
  });
});
