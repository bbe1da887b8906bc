import { describe, expect, it } from "vitest";
import type { Run } from "@/bindings/Run";
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
});
