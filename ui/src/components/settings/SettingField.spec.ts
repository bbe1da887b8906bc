import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Setting } from "@/bindings/Setting";
import { mountApp } from "@/test/mountApp";
import SettingField from "./SettingField.vue";

const maxParallel: Setting = {
  key: "runs.maxParallel",
  value: 8,
  default: 8,
  isSet: false,
  description: "How many runs may execute at once",
  input: { type: "int", data: { min: 1, max: 256 } },
};

function setup(answer: (args: { key: string; value: string }) => unknown) {
  const sent: Array<{ key: string; value: string }> = [];
  mockIPC((cmd, args) => {
    if (cmd !== "config_set") return null;
    const a = args as { key: string; value: string };
    sent.push(a);
    return answer(a);
  });
  const wrapper = mountApp(SettingField, { props: { setting: maxParallel } });
  const input = wrapper.find('input[data-testid="settings-runs.maxParallel"]');
  const error = () => wrapper.find('[data-testid="field-error-runs.maxParallel"]');
  return { wrapper, input, error, sent };
}

afterEach(() => clearMocks());

describe("a setting field", () => {
  it("says the engine's refusal of 0 and -1 with the range the setting declares", async () => {
    const { input, error, sent } = setup((a) => {
      throw {
        code: "invalid",
        message: "invalid input",
        fields: [{ path: a.key, code: "invalid", message: `${a.key} must be …; \`${a.value}\`` }],
      };
    });
    for (const bad of ["0", "-1"]) {
      await input.setValue(bad);
      await input.trigger("keydown", { key: "Enter" });
      await vi.waitFor(() => expect(error().text()).toBe("Enter a whole number from 1 to 256"));
    }
    expect(sent, "the engine, not the form, decides").toEqual([
      { key: "runs.maxParallel", value: "0" },
      { key: "runs.maxParallel", value: "-1" },
    ]);
  });

  it("saves a valid value as the field is left (no Save button) and says so", async () => {
    const { wrapper, input, error, sent } = setup((a) => ({
      ...maxParallel,
      value: Number(a.value),
      isSet: true,
    }));
    await input.setValue("3");
    expect(wrapper.find("button").exists(), "settings save themselves, like the switches").toBe(
      false,
    );
    await input.trigger("change"); // what leaving the field fires
    await vi.waitFor(() => expect(sent).toEqual([{ key: "runs.maxParallel", value: "3" }]));
    await flushPromises();
    expect(error().exists()).toBe(false);
    await wrapper.setProps({ setting: { ...maxParallel, value: 3, isSet: true } });
    expect(wrapper.find('[data-testid="settings-saved-runs.maxParallel"]').exists()).toBe(true);
  });

  it("shows the engine's own message when the setting's input says nothing about it", async () => {
    const message = "server.listen is an address and port such as 127.0.0.1:8750; `here` is not";
    const sent: string[] = [];
    mockIPC((_cmd, args) => {
      sent.push((args as { value: string }).value);
      throw {
        code: "invalid",
        message: "invalid input",
        fields: [{ path: "server.listen", code: "invalid", message }],
      };
    });
    const listen: Setting = {
      key: "server.listen",
      value: "127.0.0.1:8750",
      default: "127.0.0.1:8750",
      isSet: false,
      description: "",
      input: { type: "text" },
    };
    const wrapper = mountApp(SettingField, { props: { setting: listen } });
    const input = wrapper.find('input[data-testid="settings-server.listen"]');
    await input.setValue("here");
    await input.trigger("keydown", { key: "Enter" });
    const error = () => wrapper.find('[data-testid="field-error-server.listen"]');
    await vi.waitFor(() => expect(error().text()).toBe(message));
    expect(sent).toEqual(["here"]);
  });

  it("shows a setting the UI does not know by its key and description", () => {
    mockIPC(() => null);
    const wrapper = mountApp(SettingField, {
      props: {
        setting: {
          key: "smtp.host",
          value: "",
          default: "",
          isSet: false,
          description: "SMTP server host",
          input: { type: "text" },
        },
      },
    });
    expect(wrapper.text()).toContain("smtp.host");
    expect(wrapper.text()).toContain("SMTP server host");
    expect(wrapper.find('input[data-testid="settings-smtp.host"]').exists()).toBe(true);
  });

  it("shows a yes/no setting as a switch that saves at once", async () => {
    const sent: Array<{ key: string; value: string }> = [];
    mockIPC((_cmd, args) => {
      const a = args as { key: string; value: string };
      sent.push(a);
      return { ...paused, value: a.value === "true", isSet: true };
    });
    const paused: Setting = {
      key: "triggers.paused",
      value: false,
      default: false,
      isSet: false,
      description: "",
      input: { type: "bool" },
    };
    const wrapper = mountApp(SettingField, { props: { setting: paused } });
    const toggle = wrapper.find('[data-testid="settings-triggers.paused"]');
    expect(toggle.classes(), "one boolean widget on the page: the switch").toContain("el-switch");
    expect(wrapper.text()).not.toContain("Yes");
    await toggle.trigger("click");
    await vi.waitFor(() => expect(sent).toEqual([{ key: "triggers.paused", value: "true" }]));
  });
});
