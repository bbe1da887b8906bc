import { describe, expect, it } from "vitest";
import type { Run } from "@/bindings/Run";
import type { RunStatus } from "@/bindings/RunStatus";
import { i18n } from "@/i18n";
import { mountApp } from "@/test/mountApp";
import RunErrorBanner from "./RunErrorBanner.vue";
import RunHeader from "./RunHeader.vue";

const run = (status: RunStatus, error: string | null, patch: Partial<Run> = {}): Run => ({
  id: 7,
  number: 3,
  template: "slow",
  templateId: 1,
  status,
  trigger: "cli",
  queuedAt: "2026-12-01T10:00:00Z",
  startedAt: "2026-12-01T10:00:00Z",
  finishedAt: "2026-12-01T10:00:03Z",
  exitCode: null,
  params: {},
  error,
  logLines: 2,
  workdir: null,
  email: null,
  gitRef: null,
  commit: null,
  ...patch,
});

function banner(r: Run, locale: "en" | "zh-CN" = "en") {
  const wrapper = mountApp(RunErrorBanner, { props: { run: r } });
  i18n.global.locale.value = locale;
  return wrapper;
}

describe("the run's error banner", () => {
  it("says a timed-out run timed out, and after how long, in the status's orange", async () => {
    const w = banner(run("timed_out", "the run took longer than its timeout of 3s"));
    await w.vm.$nextTick();
    expect(w.find('[data-testid="run-error-title"]').text()).toBe("Timed out after 3s");
    const root = w.find('[data-testid="run-error"]');
    expect(root.attributes("data-status")).toBe("timed_out");
    expect(root.attributes("style"), "the colour is the status's, not the error red").toContain(
      "--status-timed-out",
    );
  });

  it("explains an interrupted run in words, in amber", () => {
    const w = banner(run("interrupted", "the simple-cicd process that ran it stopped"));
    expect(w.find('[data-testid="run-error-title"]').text()).toBe(
      "The process running this run stopped",
    );
    expect(w.find('[data-testid="run-error"]').attributes("style")).toContain(
      "--status-interrupted",
    );
  });

  it("shows the message as prose, not as red code", () => {
    const w = banner(run("failed", "exit code 1"));
    const message = w.find('[data-testid="run-error-message"]');
    expect(message.element.tagName).toBe("P");
    expect(message.classes()).not.toContain("mono");
    expect(w.find("pre").exists()).toBe(false);
    expect(w.find('[data-testid="run-error-title"]').text()).toBe("The run failed");
  });

  it("has the title in Chinese in zh-CN", async () => {
    const w = banner(run("cancelled", "cancelled by the user"), "zh-CN");
    await w.vm.$nextTick();
    expect(w.find('[data-testid="run-error-title"]').text()).toBe("运行 3秒 后被取消");
    i18n.global.locale.value = "en";
  });
});

describe("the run header", () => {
  const header = (r: Run) =>
    mountApp(RunHeader, {
      props: { run: r, cancelling: false, starting: false },
      global: { stubs: { RouterLink: true } },
    });

  it("says No parameters itself, so the log can take the whole width", () => {
    const fact = header(run("succeeded", null)).find('[data-testid="run-no-params"]');
    expect(fact.exists()).toBe(true);
    expect(fact.text()).toBe("ParametersNone");
  });

  it("leaves parameters to their table when there are some", () => {
    const w = header(run("succeeded", null, { params: { WHO: "you" } }));
    expect(w.find('[data-testid="run-no-params"]').exists()).toBe(false);
  });
});
