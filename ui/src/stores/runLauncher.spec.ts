import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPinia, setActivePinia } from "pinia";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

vi.mock("@/router", () => ({ default: { push: vi.fn(async () => undefined) } }));

import router from "@/router";
import { useRunLauncherStore } from "./runLauncher";

const template = (name: string, needsForm: boolean, params: unknown[]) => ({
  id: 1,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
  pinned: false,
  needsForm,
  spec: { kind: "shell", name, script: "true", params },
});

describe("run launcher", () => {
  let started: string[];

  beforeEach(() => {
    setActivePinia(createPinia());
    started = [];
    mockIPC((cmd, args) => {
      const a = args as { name?: string; template?: string };
      if (cmd === "template_get") {
        if (a.name === "keyed")
          // Only a secret parameter: the engine says no input is needed.
          return template("keyed", false, [{ name: "TOKEN", type: "secret" }]);
        return template("asks", true, [{ name: "LEVEL", type: "string" }]);
      }
      if (cmd === "run_start") {
        started.push(a.template!);
        return { id: 7 };
      }
      return null;
    });
  });
  afterEach(() => {
    clearMocks();
    vi.mocked(router.push).mockClear();
  });

  it("starts at once when the engine says the run needs no input, even with a secret parameter", async () => {
    const launcher = useRunLauncherStore();
    await launcher.launch("keyed");
    expect(started).toEqual(["keyed"]);
    expect(launcher.dialogOpen).toBe(false);
    expect(router.push).toHaveBeenCalledWith({ name: "run", params: { id: "7" } });
  });

  it("opens the run form when the engine says the run needs input", async () => {
    const launcher = useRunLauncherStore();
    await launcher.launch("asks");
    expect(started).toEqual([]);
    expect(launcher.dialogOpen).toBe(true);
    expect(launcher.template?.spec.name).toBe("asks");
  });
});
