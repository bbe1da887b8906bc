import { describe, expect, it } from "vitest";
import type { RunStep } from "@/bindings/RunStep";
import { engineFailureSentence, pipelineFailure, stepsThatFailedTheRun } from "./pipelineFailure";

function step(name: string, status: RunStep["status"], continueOnError = false): RunStep {
  return { name, status, continueOnError } as RunStep;
}

describe("pipeline failure", () => {
  it("names the failed steps that fail the run, not those allowed to fail or skipped", () => {
    const steps = [
      step("lint", "failed", true),
      step("test", "failed"),
      step("e2e", "timed_out"),
      step("deploy", "skipped"),
    ];
    expect(stepsThatFailedTheRun(steps)).toEqual(["test", "e2e"]);
  });

  it("writes the engine's sentences for one, two and three steps", () => {
    expect(engineFailureSentence(["a"])).toBe("step `a` failed");
    expect(engineFailureSentence(["a", "b"])).toBe("steps `a` and `b` failed");
    expect(engineFailureSentence(["a", "b", "c"])).toBe("steps `a`, `b` and `c` failed");
  });

  it("recognises the engine's sentence and leaves any other error alone", () => {
    const steps = [step("build", "failed"), step("push", "skipped")];
    expect(pipelineFailure("step `build` failed", steps)).toEqual(["build"]);
    expect(pipelineFailure("git checkout failed: no such ref", steps)).toBeNull();
    expect(pipelineFailure("step `build` failed", [])).toBeNull();
    expect(pipelineFailure(null, steps)).toBeNull();
  });
});
