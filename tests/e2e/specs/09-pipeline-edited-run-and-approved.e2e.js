// A pipeline created in the YAML editor: the graph preview shows its steps, it runs from the
// editor, waits at its approval step until Approve is clicked on the run page, the approver's
// name reaches the next step's log, and one step's log shows only that step's lines.
import { Key } from "webdriverio";
import {
  byTestId,
  deleteTemplateIfPresent,
  invoke,
  logLines,
  navigate,
  testid,
  typeInto,
  useLanguage,
  waitForApp,
  waitForLogLine,
  waitForRunStatus,
} from "../support/app.js";

const NAME = "e2e-pipeline";
const YAML = [
  "kind: pipeline",
  `name: ${NAME}`,
  "description: hello, approval, deploy",
  "steps: [{name: hello, kind: shell, script: 'echo hello from the first step'}, " +
    "{name: approve, needs: [hello], kind: approval, message: 'Ship it to e2e?'}, " +
    "{name: deploy, needs: [approve], kind: shell, " +
    "env: {WHO: '${steps.approve.outputs.approver}'}, script: 'echo deployed, approved by $WHO'}]",
];

const cards = async (scope) =>
  browser.execute(
    (sel) => [...document.querySelectorAll(sel)].map((el) => el.getAttribute("data-step")),
    `${testid(scope)} ${testid("step-card")}`,
  );

describe("a pipeline edited as YAML", () => {
  let runId = 0;

  before(async () => {
    await waitForApp();
    await deleteTemplateIfPresent(NAME);
    await useLanguage("en");
  });

  it("is typed into the pipeline editor, previewed as a graph and saved", async () => {
    await navigate("nav-templates", "templates-new-pipeline");
    await byTestId("templates-new-pipeline").click();
    const editor = await $(`${testid("pipeline-yaml")} .cm-content`);
    await editor.waitForDisplayed({ timeoutMsg: "pipeline-yaml has no CodeMirror .cm-content" });
    await editor.click();
    const type = async (lines) => {
      await browser.keys([Key.Ctrl, "a"]);
      await browser.keys(Key.Backspace);
      for (const line of lines) {
        await editor.addValue(line);
        await browser.keys(Key.Enter); // WebDriver's "\n" is no Enter in CodeMirror
      }
    };
    // A need of no step: the problem is marked at its line, and a save keeps the text.
    await type([
      "kind: pipeline",
      `name: ${NAME}`,
      "steps:",
      // Enter keeps the line's indentation: items at the key's own indentation need none.
      "- {name: a, kind: shell, script: 'true'}",
      "- {name: b, needs: [nope], kind: shell, script: 'true'}",
    ]);
    const problem = await byTestId("pipeline-yaml-problem");
    await problem.waitForDisplayed({ timeout: 10000, timeoutMsg: "no problem marked in the YAML" });
    expect(await problem.getText()).toContain("steps[1]");
    const marked = await browser.execute(() => {
      const lines = [...document.querySelectorAll('[data-testid="pipeline-yaml"] .cm-line')];
      return lines.findIndex((l) => l.classList.contains("cm-problem-line")) + 1;
    });
    expect(marked).toBe(5);
    await byTestId("editor-save").click();
    await browser.pause(500);
    expect(await editor.getText()).toContain("needs: [nope]");
    await type(YAML);
    await browser.waitUntil(
      async () => (await cards("pipeline-preview")).join(",") === "hello,approve,deploy",
      { timeout: 10000, timeoutMsg: "the graph preview did not show hello, approve, deploy" },
    );
    expect(
      await $$(`${testid("pipeline-preview")} ${testid("step-edge")}`),
    ).toBeElementsArrayOfSize(2);
    await byTestId("editor-save").click();
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(`#/templates/${NAME}`), {
      timeoutMsg: "saving did not move the editor to the pipeline's URL",
    });
    const { spec } = await invoke("template_get", { name: NAME });
    expect(spec.kind).toBe("pipeline");
    expect(spec.steps.map((s) => s.name)).toEqual(["hello", "approve", "deploy"]);
  });

  it("runs, waits for approval on the run page and goes on once approved", async () => {
    await byTestId("editor-run").click();
    await byTestId("run-steps").waitForDisplayed({
      timeout: 15000,
      timeoutMsg: "the run page of the pipeline shows no steps",
    });
    runId = Number(/#\/runs\/(\d+)/.exec(await browser.getUrl())?.[1]);
    expect(runId).toBeGreaterThan(0);
    const banner = await byTestId("approval-banner");
    await banner.waitForDisplayed({ timeout: 30000, timeoutMsg: "no approval banner appeared" });
    await browser.waitUntil(
      async () => (await byTestId("approval-message").getText()).includes("Ship it to e2e?"),
      { timeoutMsg: "the approval banner does not show the step's message" },
    );
    const waiting = await $(`${testid("step-card")}[data-step="approve"]`);
    expect(await waiting.getAttribute("data-status")).toBe("waiting");
    await typeInto("approval-comment", "looks good");
    await byTestId("approval-approve").click();
    await waitForRunStatus("succeeded", 30000);
    const steps = await invoke("run_steps", { id: runId });
    expect(steps.map((s) => s.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(steps[1].outputs.comment).toBe("looks good");
    expect(steps[1].outputs.approver.length).toBeGreaterThan(0);
    // Answering again is refused with who answered.
    const again = await invoke("run_answer", {
      id: runId,
      approve: true,
      comment: null,
      step: null,
    }).then(
      () => null,
      (e) => e.apiError,
    );
    expect(again?.message ?? "").toContain(`already approved by ${steps[1].outputs.approver}`);
  });

  it("shows one step's log, where the approver's name reached the deploy step", async () => {
    const { outputs } = (await invoke("run_steps", { id: runId }))[1];
    await $(`${testid("step-card")}[data-step="deploy"]`).click();
    await browser.waitUntil(async () => (await browser.getUrl()).includes("step=deploy"), {
      timeoutMsg: "choosing the deploy step did not put it in the URL",
    });
    await waitForLogLine(
      (t) => t.includes(`deployed, approved by ${outputs.approver}`),
      15000,
      `"deployed, approved by ${outputs.approver}" in the deploy step's log`,
    );
    const lines = (await logLines()).map((l) => l.text);
    expect(lines.some((t) => t.includes("hello from the first step"))).toBe(false);
    await byTestId("steps-all").click();
    await waitForLogLine(
      (t) => t.includes("hello from the first step"),
      15000,
      "the first step's line",
    );
    expect(await $$(testid("log-step-tag"))).not.toBeElementsArrayOfSize(0);
  });
});
