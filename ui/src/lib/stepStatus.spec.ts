import { describe, expect, it } from "vitest";
import type { RunStep } from "@/bindings/RunStep";
import { approvalMessage, stepColourVar, stepProgress } from "./stepStatus";

describe("step status", () => {
  it("reads the question of an approval step from its log line", () => {
    expect(
      approvalMessage(
        "Waiting for approval: Deploy sha256:ab (v2) to staging? (scicd approve 12 or scicd decline 12, or the run page; declined after 4h)",
      ),
    ).toBe("Deploy sha256:ab (v2) to staging?");
    expect(approvalMessage("Waiting for approval: Go?")).toBe("Go?");
    expect(approvalMessage("Approved by ana")).toBeNull();
  });

  it("gives waiting and skipped their own colours and the rest the run colours", () => {
    expect(stepColourVar("waiting")).toBe("var(--status-waiting)");
    expect(stepColourVar("skipped")).toBe("var(--status-skipped)");
    expect(stepColourVar("timed_out")).toBe("var(--status-timed-out)");
  });

  it("counts the steps that ended", () => {
    const s = (status: RunStep["status"]) => ({ status }) as RunStep;
    expect(stepProgress([s("succeeded"), s("skipped"), s("waiting"), s("queued")])).toEqual({
      done: 2,
      total: 4,
    });
  });
});
