import { afterEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { ParamSpec } from "@/bindings/ParamSpec";
import { mountApp } from "@/test/mountApp";
import TemplateParamRow from "./TemplateParamRow.vue";

const base: ParamSpec = {
  name: "JOBS",
  type: "string",
  default: "4",
  required: false,
  description: null,
  choices: [],
  secret: null,
};

function render(param: ParamSpec) {
  const updates: ParamSpec[] = [];
  const wrapper = mountApp(TemplateParamRow, {
    props: {
      index: 0,
      errors: {},
      modelValue: param,
      "onUpdate:modelValue": (p: ParamSpec) => updates.push(p),
    },
  });
  return { wrapper, updates };
}

describe("params editor row", () => {
  it("changing the type to number turns the default into a number", async () => {
    const { wrapper, updates } = render(base);
    await wrapper.find('[data-testid="param-type-0"]').setValue("number");
    expect(updates.at(-1)).toMatchObject({ type: "number", default: 4 });
  });

  it("a number default is edited as a number", async () => {
    const { wrapper, updates } = render({ ...base, type: "number", default: 4 });
    const input = wrapper.find('[data-testid="param-default-0"]');
    expect(input.attributes("type")).toBe("number");
    await input.setValue("8");
    expect(updates.at(-1)?.default).toBe(8);
  });

  it("a boolean default is a switch", async () => {
    const { wrapper, updates } = render({ ...base, type: "boolean", default: false });
    await wrapper.find('[data-testid="param-default-0"]').trigger("click");
    expect(updates.at(-1)?.default).toBe(true);
  });

  it("a choice default is picked among the choices, or none", async () => {
    const { wrapper, updates } = render({
      ...base,
      type: "choice",
      default: null,
      choices: ["a", "b"],
    });
    const select = wrapper.find('[data-testid="param-default-0"]');
    expect(select.findAll("option").map((o) => o.attributes("value"))).toEqual(["", "a", "b"]);
    await select.setValue("b");
    expect(updates.at(-1)?.default).toBe("b");
    await select.setValue("");
    expect(updates.at(-1)?.default).toBeNull();
  });

  it("shows the field's error under it with the contract test id", () => {
    const wrapper = mountApp(TemplateParamRow, {
      props: { index: 2, errors: { "params[2].name": "Bad name" }, modelValue: base },
    });
    expect(wrapper.find('[data-testid="field-error-params[2].name"]').text()).toBe("Bad name");
  });
});

describe("secret parameter", () => {
  afterEach(() => clearMocks());

  it("offers the stored secrets' names and warns about a name not stored yet", async () => {
    mockIPC((cmd) =>
      cmd === "secret_list"
        ? [{ name: "deploy-token", backend: "keyring", updatedAt: "2026-11-25T18:40:00Z" }]
        : null,
    );
    const { wrapper, updates } = render({ ...base, name: "TOKEN", type: "secret", default: null });
    const input = wrapper.find('input[data-testid="param-secret-0"]');
    expect(input.exists()).toBe(true);
    await vi.waitFor(() =>
      expect(wrapper.find('[data-testid="param-secret-0-missing"]').text()).toContain("TOKEN"),
    );
    await input.setValue("deploy-token");
    expect(updates.at(-1)?.secret).toBe("deploy-token");
    await wrapper.setProps({ modelValue: updates.at(-1)! });
    expect(wrapper.find('[data-testid="param-secret-0-missing"]').exists()).toBe(false);
  });
});
