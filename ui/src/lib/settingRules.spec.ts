import { describe, expect, it } from "vitest";
import { checkSetting, settingText } from "./settingRules";

describe("setting checks", () => {
  it("refuses a concurrency limit of 0 or -1, and anything not a whole number in range", () => {
    for (const bad of ["0", "-1", "257", "2.5", "abc", "", " "]) {
      expect(checkSetting("runs.maxParallel", bad)).toEqual({
        key: "settings.errors.int",
        params: { min: 1, max: 256 },
      });
    }
    expect(checkSetting("runs.maxParallel", "3")).toBeNull();
    expect(checkSetting("runs.maxParallel", " 256 ")).toBeNull();
  });

  it("accepts 0 where it means no limit", () => {
    expect(checkSetting("retention.maxRunsPerTemplate", "0")).toBeNull();
    expect(checkSetting("retention.maxAgeDays", "0")).toBeNull();
    expect(checkSetting("runs.cancelGraceSeconds", "0")).toBeNull();
    expect(checkSetting("retention.maxAgeDays", "36501")).not.toBeNull();
  });

  it("checks choices, and leaves unknown keys to the backend", () => {
    expect(checkSetting("secrets.backend", "file")).toBeNull();
    expect(checkSetting("secrets.backend", "vault")?.key).toBe("settings.errors.choice");
    expect(checkSetting("smtp.host", "")).toBeNull();
  });

  it("shows values as text", () => {
    expect([settingText(4), settingText("keyring"), settingText(null)]).toEqual([
      "4",
      "keyring",
      "",
    ]);
  });
});
