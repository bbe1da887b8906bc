import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { mountApp } from "@/test/mountApp";
import SecretDialog from "./SecretDialog.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

function open(answer: (cmd: string, args: unknown) => unknown) {
  const calls: Array<[string, unknown]> = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    return answer(cmd, args);
  });
  const wrapper = mountApp(SecretDialog, {
    props: { modelValue: false, replacing: null },
    attachTo: document.body,
  });
  const find = (id: string) => document.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);
  return { wrapper, calls, find };
}

async function type(el: HTMLInputElement | null, value: string) {
  el!.value = value;
  el!.dispatchEvent(new Event("input"));
  await flushPromises();
}

describe("secret dialog", () => {
  it("checks the name and the value before sending anything", async () => {
    const { wrapper, calls, find } = open(() => null);
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    await type(find("secret-name"), "bad name!");
    find("secret-save")!.click();
    await flushPromises();
    expect(document.body.textContent).toContain("Use 1 to 128 letters");
    expect(document.body.textContent).toContain("The value is empty");
    expect(calls.filter(([c]) => c === "secret_set")).toEqual([]);
  });

  it("sends the value once and never shows it again", async () => {
    const { wrapper, calls, find } = open((cmd, args) =>
      cmd === "secret_set"
        ? {
            name: (args as { name: string }).name,
            backend: "keyring",
            updatedAt: "2026-11-26T00:00:00Z",
          }
        : [],
    );
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    expect(find("secret-value")!.value).toBe("");
    expect(find("secret-value")!.type).toBe("password");
    await type(find("secret-name"), "npm-token");
    await type(find("secret-value"), "s3cr3t");
    find("secret-save")!.click();
    await vi.waitFor(() =>
      expect(calls).toContainEqual(["secret_set", { name: "npm-token", value: "s3cr3t" }]),
    );
    await vi.waitFor(() => expect(wrapper.emitted("update:modelValue")?.at(-1)).toEqual([false]));
    await wrapper.setProps({ modelValue: false });
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    expect(find("secret-value")?.value ?? "").toBe("");
    expect(document.body.innerHTML).not.toContain("s3cr3t");
  });

  it("shows a keyring failure in place, with the backend's advice", async () => {
    const message =
      "no keyring is reachable: install and start a Secret Service provider (gnome-keyring or KeePassXC)";
    const { wrapper, find } = open((cmd) => {
      if (cmd === "secret_set") throw { code: "keyring", message, fields: [] };
      return [];
    });
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    await type(find("secret-name"), "npm-token");
    await type(find("secret-value"), "x");
    find("secret-save")!.click();
    await vi.waitFor(() =>
      expect(find("secrets-keyring-error")?.textContent).toContain("install and start"),
    );
  });
});
