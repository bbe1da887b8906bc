import { afterEach, describe, expect, it } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Setting } from "@/bindings/Setting";
import { mountApp } from "@/test/mountApp";
import SettingsView from "./SettingsView.vue";

const flag = (key: string): Setting => ({
  key,
  value: false,
  default: false,
  isSet: false,
  description: key,
  input: { type: "bool" },
});

const SETTINGS: Setting[] = [
  {
    key: "runs.maxParallel",
    value: 8,
    default: 8,
    isSet: false,
    description: "",
    input: { type: "int", data: { min: 1, max: 256 } },
  },
  flag("server.enabled"),
  flag("triggers.paused"),
  flag("notify.desktop"),
  flag("app.closeToTray"),
  flag("smtp.acceptInvalidCerts"),
];

afterEach(() => clearMocks());

async function settingsPage() {
  mockIPC((cmd) => {
    if (cmd === "config_list") return SETTINGS;
    if (cmd === "storage_usage")
      throw { code: "internal", message: "not in this test", fields: [] };
    return null;
  });
  const wrapper = mountApp(SettingsView, { global: { stubs: { RouterLink: true } } });
  await flushPromises();
  return wrapper;
}

describe("the Settings page", () => {
  it("offers Pause triggers once", async () => {
    const wrapper = await settingsPage();
    const labels = wrapper.findAll("label").map((l) => l.text());
    expect(labels.filter((l) => l === "Pause triggers")).toHaveLength(1);
  });

  it("uses one row layout, one boolean widget and no Save button in any section", async () => {
    const wrapper = await settingsPage();
    for (const section of ["settings-section-runs", "settings-desktop", "settings-email"]) {
      const panel = wrapper.find(`[data-testid="${section}"]`);
      expect(panel.exists(), section).toBe(true);
      expect(panel.findAll(".setting-row").length, `${section} uses SettingRow`).toBeGreaterThan(0);
      expect(panel.find(".el-form-item").exists(), `${section} has no other row layout`).toBe(
        false,
      );
      const saves = panel.findAll("button").filter((b) => /^Save/.test(b.text()));
      expect(saves, `${section} saves by itself`).toEqual([]);
    }
    expect(wrapper.find(".el-radio-button input[value='true']").exists(), "no Yes|No").toBe(false);
  });
});
