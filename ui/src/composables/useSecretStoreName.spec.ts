import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { defineComponent, h } from "vue";
import { mountApp } from "@/test/mountApp";
import { useSecretStoreName } from "./useSecretStoreName";

const Probe = defineComponent({
  setup() {
    const name = useSecretStoreName();
    return () => h("span", name.value);
  },
});

describe("secret store name", () => {
  afterEach(() => clearMocks());

  it("names the encrypted file when secrets.backend is file, the OS keyring otherwise", async () => {
    let backend = "file";
    mockIPC((cmd) => (cmd === "config_list" ? [{ key: "secrets.backend", value: backend }] : null));
    const w = mountApp(Probe);
    await flushPromises();
    expect(w.text()).toBe("the encrypted secrets file");
    backend = "keyring";
    const k = mountApp(Probe);
    await flushPromises();
    expect(k.text()).toBe("the OS keyring");
  });
});
