import { invoke } from "@tauri-apps/api/core";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { Run } from "@/bindings/Run";
import type { RunStep } from "@/bindings/RunStep";
import { installFakeBackend } from "./fakeBackend";

describe("the fake backend's pipelines (browser dev mode)", () => {
  afterEach(() => clearMocks());

  it("lists the steps of seeded runs and answers the waiting approval once", async () => {
    installFakeBackend();
    const runs = (
      await invoke<{ runs: Run[] }>("run_list", {
        filter: { template: "web", status: null, limit: 50, offset: 0 },
      })
    ).runs;
    const waiting = runs.find((r) => r.status === "running");
    expect(waiting).toBeDefined();
    const steps = await invoke<RunStep[]>("run_steps", { id: waiting!.id });
    expect(steps.find((s) => s.name === "approve")?.status).toBe("waiting");
    expect(steps.find((s) => s.name === "image")?.outputs.digest).toMatch(/^sha256:/);
    const answered = await invoke<RunStep>("run_answer", {
      id: waiting!.id,
      approve: true,
      comment: "ok",
      step: null,
    });
    expect(answered.outputs.approver).toBe("dev");
    await expect(
      invoke("run_answer", { id: waiting!.id, approve: true, comment: null, step: null }),
    ).rejects.toMatchObject({ message: expect.stringContaining("already approved by dev") });
  });

  it("reads pipeline YAML with field-addressed errors", async () => {
    installFakeBackend();
    const yaml =
      "kind: pipeline\nname: p\nsteps:\n  - name: a\n    kind: shell\n  - name: b\n    needs: [nope]\n    kind: shell\n";
    await expect(invoke("template_parse_yaml", { yaml })).rejects.toMatchObject({
      fields: [expect.objectContaining({ path: "steps[1].needs" })],
    });
    const spec = await invoke<{ steps: unknown[] }>("template_parse_yaml", {
      yaml: yaml.replace("[nope]", "[a]"),
    });
    expect(spec.steps).toHaveLength(2);
  });
});
