// A pipeline run whose step fails the first time: the run page names the failed step, "Retry
// from the failed step" opens the new run, which reuses the earlier step's result and outputs
// instead of running it again, and the step that failed now succeeds (the file the first try
// left in the workspace, shared by a retry, is there).
import {
  byTestId,
  importTemplate,
  invoke,
  logLines,
  startFromTemplateList,
  testid,
  useLanguage,
  waitForApp,
  waitForLogLine,
  waitForRunStatus,
} from "../support/app.js";

const NAME = "e2e-retry";
const YAML = [
  "kind: pipeline",
  `name: ${NAME}`,
  "steps:",
  "  - name: prepare",
  "    kind: shell",
  "    script: |",
  '      echo "prepared, once"',
  '      echo "stamp=$(date +%s%N)" >> "$SIMPLE_CICD_OUTPUT"',
  "  - name: flaky",
  "    kind: shell",
  "    script: |",
  '      if [ ! -e .tried ]; then touch .tried; echo "first try fails"; exit 3; fi',
  '      echo "second try passes"',
].join("\n");

const runIdInUrl = async () => Number(/#\/runs\/(\d+)/.exec(await browser.getUrl())?.[1]);
const card = (name) => $(`${testid("step-card")}[data-step="${name}"]`);

describe("a failed pipeline step", () => {
  let first = 0;

  before(async () => {
    await waitForApp();
    await useLanguage("en");
    await importTemplate(YAML);
  });

  it("fails the run, and the run page names it", async () => {
    await startFromTemplateList(NAME);
    first = await runIdInUrl();
    expect(first).toBeGreaterThan(0);
    await waitForRunStatus("failed", 30000);
    await browser.waitUntil(
      async () => (await card("flaky").getAttribute("data-status")) === "failed",
      {
        timeout: 15000,
        timeoutMsg: "the flaky step's card is not marked failed",
      },
    );
    expect(await card("prepare").getAttribute("data-status")).toBe("succeeded");
    await browser.waitUntil(
      async () => (await byTestId("run-error-text").getText()) === "Step “flaky” failed",
      { timeout: 15000, timeoutMsg: "the error banner does not say Step “flaky” failed" },
    );
  });

  it("is retried from the run page: the new run reuses the step before it and succeeds", async () => {
    const before = await invoke("run_steps", { id: first });
    const retry = await byTestId("steps-retry");
    expect(await retry.getText()).toBe("Retry from the failed step");
    await retry.click();
    await browser.waitUntil(async () => (await runIdInUrl()) !== first, {
      timeout: 15000,
      timeoutMsg: "Retry from the failed step did not open a new run",
    });
    const second = await runIdInUrl();
    await waitForRunStatus("succeeded", 30000);
    const run = await invoke("run_get", { id: second });
    expect(run.retryOf).toBe(first);
    const steps = await invoke("run_steps", { id: second });
    expect(steps.map((s) => s.status)).toEqual(["succeeded", "succeeded"]);
    // Its output is the first run's: prepare was taken over, not run again.
    expect(steps[0].outputs.stamp).toBe(before[0].outputs.stamp);
    await waitForLogLine((t) => t.includes("second try passes"), 15000, '"second try passes"');
    const lines = (await logLines()).map((l) => l.text);
    expect(lines.some((t) => t.includes("taken over from #"))).toBe(true);
    expect(lines.some((t) => t.includes("prepared, once"))).toBe(false);
    expect(lines.some((t) => t.includes("first try fails"))).toBe(false);
  });
});
