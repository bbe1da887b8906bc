import { afterEach, describe, expect, it, vi } from "vitest";
import { flushPromises } from "@vue/test-utils";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { mountApp } from "@/test/mountApp";
import { useRunLauncherStore } from "@/stores/runLauncher";
import RunFormDialog from "./RunFormDialog.vue";

vi.mock("@/router", () => ({ default: { push: vi.fn(async () => undefined) } }));

afterEach(() => {
  clearMocks();
  document.body.innerHTML = "";
});

const TEMPLATE = {
  id: 1,
  createdAt: "2026-12-01T00:00:00Z",
  updatedAt: "2026-12-01T00:00:00Z",
  pinned: false,
  needsForm: true,
  spec: {
    kind: "shell",
    name: "greet",
    script: "echo $WHO",
    source: null,
    params: [
      {
        name: "WHO",
        type: "string",
        default: "ana",
        required: true,
        description: null,
        choices: [],
        secret: null,
      },
    ],
  },
};

describe("the run form", () => {
  it("sends what was typed and shows the engine's refusal under the field", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "run_start") {
        sent.push((args as { params: unknown }).params);
        throw {
          code: "invalid",
          message: "invalid input",
          fields: [
            { path: "params.WHO", code: "required", message: "WHO is required; give it a value" },
          ],
        };
      }
      return null;
    });
    mountApp(RunFormDialog, { attachTo: document.body });
    const launcher = useRunLauncherStore();
    launcher.template = TEMPLATE as never;
    launcher.dialogOpen = true;
    await flushPromises();
    const input = document.querySelector<HTMLInputElement>("#run-param-input-WHO")!;
    expect(input.value, "the default is prefilled").toBe("ana");
    input.value = "";
    input.dispatchEvent(new Event("input"));
    await flushPromises();
    document.querySelector<HTMLElement>("[data-testid=run-form-submit]")!.click();
    await vi.waitFor(() =>
      expect(document.querySelector("[data-testid='field-error-params.WHO']")?.textContent).toMatch(
        /required/i,
      ),
    );
    expect(sent, "the form has no rules of its own: the engine decides").toEqual([{ WHO: "" }]);
    expect(launcher.dialogOpen, "a refused run keeps the form open").toBe(true);
  });
});
