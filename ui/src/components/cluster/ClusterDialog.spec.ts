import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { mountApp } from "@/test/mountApp";
import ClusterDialog from "./ClusterDialog.vue";

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const CONTEXTS = {
  files: ["/home/me/.kube/config"],
  contexts: [
    { name: "dev", cluster: "c1", server: "https://dev:6443", namespace: null, current: false },
    { name: "prod", cluster: "c2", server: "https://prod:6443", namespace: "web", current: true },
  ],
};

function open(answer: (cmd: string, args: unknown) => unknown) {
  const calls: Array<[string, unknown]> = [];
  mockIPC((cmd, args) => {
    calls.push([cmd, args]);
    if (cmd === "cluster_contexts") return CONTEXTS;
    if (cmd === "config_list") return []; // the secret store's name: the default, the keyring
    return answer(cmd, args);
  });
  const wrapper = mountApp(ClusterDialog, {
    props: { modelValue: false },
    attachTo: document.body,
  });
  const find = (id: string) =>
    document.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
      `[data-testid="${id}"]`,
    );
  return { wrapper, calls, find };
}

async function type(
  el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null,
  value: string,
) {
  el!.value = value;
  el!.dispatchEvent(new Event("input"));
  await flushPromises();
}

const added = (args: unknown) => ({
  ...(args as { cluster: { name: string } }).cluster,
  source: "context",
  namespace: "web",
  createdAt: "2026-12-04T00:00:00Z",
});

describe("cluster dialog", () => {
  it("offers the kubeconfig's contexts, the current one chosen, and sends the chosen one", async () => {
    const { wrapper, calls, find } = open((cmd, args) =>
      cmd === "cluster_add" ? added(args) : null,
    );
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    const select = find("cluster-context") as HTMLSelectElement;
    const options = Array.from(select.options).map((o) => o.value);
    expect(options).toContain("dev");
    expect(select.value).toBe("prod");
    expect(document.body.textContent).toContain("/home/me/.kube/config");
    expect(document.body.textContent).toContain("kept in the OS keyring");
    expect(find("cluster-kubeconfig")).toBeNull();
    await type(find("cluster-name"), "staging");
    select.value = "dev";
    select.dispatchEvent(new Event("change"));
    await flushPromises();
    (find("cluster-save") as unknown as HTMLButtonElement).click();
    await flushPromises();
    const add = calls.find(([c]) => c === "cluster_add");
    expect(add?.[1]).toEqual({
      cluster: { name: "staging", context: "dev", kubeconfig: null, namespace: null },
    });
    expect(wrapper.emitted("added")).toEqual([["staging"]]);
  });

  it("sends a pasted kubeconfig with its optional context instead of a context of mine", async () => {
    const { wrapper, calls, find } = open((cmd, args) =>
      cmd === "cluster_add" ? added(args) : null,
    );
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    const radio = document.querySelector<HTMLInputElement>(
      '[data-testid="cluster-from-kubeconfig"] input',
    );
    radio!.click();
    await flushPromises();
    expect(find("cluster-context")).toBeNull();
    await type(find("cluster-name"), "prod");
    await type(find("cluster-kubeconfig"), "apiVersion: v1\nkind: Config\n");
    await type(find("cluster-namespace"), "apps");
    (find("cluster-save") as unknown as HTMLButtonElement).click();
    await flushPromises();
    const add = calls.find(([c]) => c === "cluster_add");
    expect(add?.[1]).toEqual({
      cluster: {
        name: "prod",
        context: null,
        kubeconfig: "apiVersion: v1\nkind: Config",
        namespace: "apps",
      },
    });
  });

  it("shows the backend's message next to the field it names", async () => {
    const { wrapper, find } = open((cmd) => {
      if (cmd !== "cluster_add") return null;
      throw {
        code: "invalid",
        message: "invalid input",
        fields: [
          { path: "namespace", code: "invalid", message: "`Web_1` is not a namespace name" },
        ],
      };
    });
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    await type(find("cluster-name"), "x");
    await type(find("cluster-namespace"), "Web_1");
    (find("cluster-save") as unknown as HTMLButtonElement).click();
    await flushPromises();
    expect(document.body.textContent).toContain("`Web_1` is not a namespace name");
    expect(wrapper.emitted("added")).toBeUndefined();
  });
});
