import { describe, expect, it } from "vitest";
import type { Run } from "@/bindings/Run";
import type { RunStep } from "@/bindings/RunStep";
import { i18n } from "@/i18n";
import { mountApp } from "@/test/mountApp";
import RunErrorBanner from "./RunErrorBanner.vue";

function run(status: Run["status"], error: string): Run {
  return {
    status,
    error,
    startedAt: "2026-12-01T10:00:00.000Z",
    finishedAt: "2026-12-01T10:00:03.000Z",
  } as Run;
}

describe("run error banner", () => {
  it("a timed-out run gets a warning titled with its duration, the English detail behind Details", () => {
    const w = mountApp(RunErrorBanner, {
      props: { run: run("timed_out", "the run took longer than its timeout of 3s") },
    });
    expect(w.find("[data-testid=run-error]").attributes("data-status")).toBe("timed_out");
    expect(w.text()).toContain("Timed out after 3s");
    expect(w.find("details [data-testid=run-error-message]").text()).toBe(
      "the run took longer than its timeout of 3s",
    );
  });

  it("an interrupted run is explained in Chinese in zh-CN", async () => {
    const w = mountApp(RunErrorBanner, {
      props: {
        run: run("interrupted", "the simple-cicd process that ran it stopped unexpectedly"),
      },
    });
    i18n.global.locale.value = "zh-CN";
    await w.vm.$nextTick();
    expect(w.text()).toContain("执行此运行的进程已停止");
    i18n.global.locale.value = "en";
  });

  it("a pipeline's failed steps are named in Chinese in zh-CN, the engine's sentence behind Details", async () => {
    const steps = [
      { name: "test", status: "failed", continueOnError: false },
      { name: "lint", status: "failed", continueOnError: true },
      { name: "e2e", status: "failed", continueOnError: false },
      { name: "deploy", status: "skipped", continueOnError: false },
    ] as RunStep[];
    const w = mountApp(RunErrorBanner, {
      props: { run: run("failed", "steps `test` and `e2e` failed"), steps },
    });
    expect(w.find("[data-testid=run-error-text]").text()).toBe("Steps “test” and “e2e” failed");
    i18n.global.locale.value = "zh-CN";
    await w.vm.$nextTick();
    expect(w.find("[data-testid=run-error-text]").text()).toBe("步骤“test”和“e2e”失败");
    expect(w.find("details [data-testid=run-error-message]").text()).toBe(
      "steps `test` and `e2e` failed",
    );
    i18n.global.locale.value = "en";
  });

  it("another error of a pipeline run is shown as the engine wrote it", () => {
    const steps = [{ name: "test", status: "skipped", continueOnError: false }] as RunStep[];
    const w = mountApp(RunErrorBanner, {
      props: { run: run("failed", "the checkout failed: no ref main"), steps },
    });
    expect(w.find("[data-testid=run-error-text]").exists()).toBe(false);
    expect(w.find("[data-testid=run-error-message]").text()).toBe(
      "the checkout failed: no ref main",
    );
  });
});
