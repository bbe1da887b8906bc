import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { mountApp } from "@/test/mountApp";
import EndpointDialog from "./EndpointDialog.vue";

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
  const wrapper = mountApp(EndpointDialog, {
    props: { modelValue: false },
    attachTo: document.body,
  });
  const find = (id: string) =>
    document.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${id}"]`);
  return { wrapper, calls, find };
}

async function type(el: HTMLInputElement | HTMLTextAreaElement | null, value: string) {
  el!.value = value;
  el!.dispatchEvent(new Event("input"));
  await flushPromises();
}

describe("endpoint dialog", () => {
  it("asks for TLS files only for tcp:// and sends them with the endpoint", async () => {
    const { wrapper, calls, find } = open((cmd, args) =>
      cmd === "endpoint_add"
        ? {
            name: (args as { endpoint: { name: string } }).endpoint.name,
            url: "tcp://10.0.0.5:2376",
            kind: "tls",
            builtin: false,
            hasSshKey: false,
            createdAt: "2026-11-26T00:00:00Z",
          }
        : null,
    );
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    await type(find("endpoint-url"), "ssh://deploy@box");
    expect(find("endpoint-tls-ca")).toBeNull();
    expect(find("endpoint-ssh-key")).not.toBeNull();
    await type(find("endpoint-name"), "box");
    await type(find("endpoint-url"), "tcp://10.0.0.5:2376");
    expect(find("endpoint-ssh-key")).toBeNull();
    await type(find("endpoint-tls-ca"), "CA PEM");
    await type(find("endpoint-tls-cert"), "CERT PEM");
    await type(find("endpoint-tls-key"), "KEY PEM");
    (find("endpoint-save") as unknown as HTMLButtonElement).click();
    await flushPromises();
    const add = calls.find(([c]) => c === "endpoint_add");
    expect(add?.[1]).toMatchObject({
      endpoint: {
        name: "box",
        url: "tcp://10.0.0.5:2376",
        tlsCa: "CA PEM",
        tlsKey: "KEY PEM",
        sshKey: null,
      },
    });
    expect(wrapper.emitted("added")).toEqual([["box"]]);
  });

  it("shows the backend's message next to the field it names", async () => {
    const { wrapper, find } = open(() => {
      throw {
        code: "invalid",
        message: "invalid input",
        fields: [{ path: "url", code: "invalid", message: "`http://x` is not an endpoint URL" }],
      };
    });
    await wrapper.setProps({ modelValue: true });
    await flushPromises();
    await type(find("endpoint-name"), "x");
    await type(find("endpoint-url"), "http://x");
    (find("endpoint-save") as unknown as HTMLButtonElement).click();
    await flushPromises();
    expect(document.querySelector('[data-testid="field-error-url"]')?.textContent).toContain(
      "is not an endpoint URL",
    );
    expect(wrapper.emitted("added")).toBeUndefined();
  });
});
