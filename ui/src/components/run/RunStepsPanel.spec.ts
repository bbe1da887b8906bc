import { flushPromises } from "@vue/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RunStep } from "@/bindings/RunStep";
import { stepsFromSpec } from "@/lib/stepGraph";
import { mountApp } from "@/test/mountApp";
import RunStepsPanel from "./RunStepsPanel.vue";

const api = vi.hoisted(() => ({
  runAnswer: vi.fn(),
  runLogSearch: vi.fn(),
  runLogs: vi.fn(),
}));
vi.mock("@/api", async (original) => ({ ...(await original<object>()), ...api }));

function steps(): RunStep[] {
  const all = stepsFromSpec([
    { name: "test", kind: "shell", script: "true" },
    { name: "approve", needs: ["test"], kind: "approval", message: "Go?" },
    { name: "deploy", needs: ["approve"], kind: "shell", script: "true" },
    { name: "docs", needs: ["test"], kind: "shell", script: "true" },
  ] as never);
  Object.assign(all[0]!, {
    status: "succeeded",
    durationMs: 1200,
    outputs: { digest: "sha256:ab" },
  });
  Object.assign(all[1]!, { status: "waiting", durationMs: 5000 });
  Object.assign(all[3]!, { status: "skipped" });
  return all;
}

const mountPanel = () =>
  mountApp(RunStepsPanel, { props: { runId: 7, steps: steps(), selected: null, error: null } });

describe("the steps of a pipeline run", () => {
  beforeEach(() => {
    vi.clearAllMocks();
    api.runLogSearch.mockResolvedValue({ seqs: [4], total: 1 });
    api.runLogs.mockResolvedValue([
      {
        seq: 4,
        ts: 0,
        stream: "system",
        step: 1,
        text: "Waiting for approval: Deploy sha256:ab? (scicd approve 7 or scicd decline 7, or the run page; declined after 24h)",
      },
    ]);
  });

  it("draws a card per step with its status, a line per need and the progress", () => {
    const w = mountPanel();
    const cards = w.findAll('[data-testid="step-card"]');
    expect(cards.map((c) => [c.attributes("data-step"), c.attributes("data-status")])).toEqual([
      ["test", "succeeded"],
      ["approve", "waiting"],
      ["deploy", "queued"],
      ["docs", "skipped"],
    ]);
    expect(w.findAll('[data-testid="step-edge"]')).toHaveLength(3);
    expect(w.find('[data-testid="steps-progress"]').text()).toBe("2/4 steps done");
    expect(cards[0]!.text()).toContain("1s");
    expect(cards[2]!.text()).toContain("Not started");
  });

  it("selects a step, and the selected one again for all steps", async () => {
    const w = mountPanel();
    await w.findAll('[data-testid="step-card"]')[2]!.trigger("click");
    expect(w.emitted("select")?.[0]).toEqual([2]);
    await w.setProps({ selected: 2 });
    await w.findAll('[data-testid="step-card"]')[2]!.trigger("click");
    expect(w.emitted("select")?.[1]).toEqual([null]);
    await w.find('[data-testid="steps-all"]').trigger("click");
    expect(w.emitted("select")?.[2]).toEqual([null]);
  });

  it("asks the waiting approval's question and sends the answer with the comment", async () => {
    api.runAnswer.mockResolvedValue({});
    const w = mountPanel();
    await flushPromises();
    expect(w.find('[data-testid="approval-message"]').text()).toBe("Deploy sha256:ab?");
    await w.find('[data-testid="approval-comment"]').setValue("  ok  ");
    await w.find('[data-testid="approval-approve"]').trigger("click");
    await flushPromises();
    expect(api.runAnswer).toHaveBeenCalledWith(7, true, "ok", "approve");
    expect(w.emitted("answered")).toHaveLength(1);
  });

  it("shows the engine's refusal", async () => {
    api.runAnswer.mockRejectedValue({
      code: "invalid",
      message: "step approve of run 7 was already approved by ana",
      fields: [],
    });
    const w = mountPanel();
    await w.find('[data-testid="approval-decline"]').trigger("click");
    await flushPromises();
    expect(api.runAnswer).toHaveBeenCalledWith(7, false, null, "approve");
    expect(w.find('[data-testid="approval-error"]').text()).toContain("already approved by ana");
  });
});

describe("retrying a pipeline run", () => {
  it("offers a retry only when the run can be retried, from the chosen step or the failed one", async () => {
    const plain = mountPanel();
    expect(plain.find("[data-testid=steps-retry]").exists()).toBe(false);
    const w = mountApp(RunStepsPanel, {
      props: { runId: 7, steps: steps(), selected: null, error: null, retryable: true },
    });
    const button = w.find("[data-testid=steps-retry]");
    expect(button.text()).toBe("Retry from the failed step");
    await button.trigger("click");
    expect(w.emitted("retry")?.[0]).toEqual([null]);
    await w.setProps({ selected: 2 });
    expect(w.find("[data-testid=steps-retry]").text()).toBe("Retry from deploy");
    await w.find("[data-testid=steps-retry]").trigger("click");
    expect(w.emitted("retry")?.[1]).toEqual(["deploy"]);
  });
});
