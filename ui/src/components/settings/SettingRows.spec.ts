import { describe, expect, it } from "vitest";
import { mountApp } from "@/test/mountApp";
import SettingRows from "./SettingRows.vue";

describe("setting rows", () => {
  it("wraps its rows in a definition list and marks them for its styles", () => {
    const w = mountApp(SettingRows, {
      slots: { default: '<div class="row"><dt>Version</dt><dd>1.0</dd></div>' },
    });
    expect(w.element.tagName).toBe("DL");
    expect(w.find("dt").text()).toBe("Version");
    const slotted = (name: string) =>
      w
        .find(name)
        .element.getAttributeNames()
        .some((a) => a.endsWith("-s"));
    expect(slotted(".row")).toBe(true);
    expect(slotted("dd")).toBe(true);
  });
});
