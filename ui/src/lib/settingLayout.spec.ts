import { describe, expect, it } from "vitest";
import { settingRefusal, settingText } from "./settingLayout";

describe("setting layout", () => {
  it("says an engine refusal of a number with the range the engine sent", () => {
    const refusal = settingRefusal(
      { type: "int", data: { min: 1, max: 256 } },
      { path: "runs.maxParallel", code: "invalid", message: "runs.maxParallel must be …" },
    );
    expect(refusal).toEqual({ key: "settings.errors.int", params: { min: 1, max: 256 } });
  });

  it("says a refused choice with the engine's choices", () => {
    const refusal = settingRefusal(
      { type: "choice", data: ["keyring", "file"] },
      { path: "secrets.backend", code: "invalid", message: "…" },
    );
    expect(refusal).toEqual({
      key: "settings.errors.choice",
      params: { options: "keyring, file" },
    });
  });

  it("leaves other refusals to the engine's own message", () => {
    const listen = { path: "server.listen", code: "invalid", message: "an address and port" };
    expect(settingRefusal({ type: "text" }, listen)).toBeNull();
    expect(settingRefusal({ type: "int", data: { min: 0, max: 1 } }, undefined)).toBeNull();
  });

  it("shows values as text", () => {
    expect([settingText(4), settingText("keyring"), settingText(null), settingText(true)]).toEqual([
      "4",
      "keyring",
      "",
      "true",
    ]);
  });
});
