import { describe, expect, it } from "vitest";
import type { Run } from "@/bindings/Run";
import { i18n } from "@/i18n";
import { mountApp } from "@/test/mountApp";
import RunStepProgress from "./RunStepProgress.vue";

const run = (stepsDone: number, stepsTotal: number): Run =>
  ({
    id: 4,
    number: 1,
    template: "web",
    status: "running",
    stepsDone,
    stepsTotal,
  }) as unknown as Run;

describe("a run's step progress in lists", () => {
  it("shows a pipeline run's steps done of all, and says so in words on hover", async () => {
    const w = mountApp(RunStepProgress, { props: { run: run(3, 5) } });
    i18n.global.locale.value = "zh-CN";
    await w.vm.$nextTick();
    const el = w.find('[data-testid="run-step-progress-4"]');
    expect(el.text()).toBe("3/5");
    expect(el.attributes("title")).toBe("已完成 3/5 个步骤");
    i18n.global.locale.value = "en";
  });

  it("shows nothing for a one-step template's run", () => {
    const w = mountApp(RunStepProgress, { props: { run: run(0, 0) } });
    expect(w.find('[data-testid="run-step-progress-4"]').exists()).toBe(false);
  });
});
