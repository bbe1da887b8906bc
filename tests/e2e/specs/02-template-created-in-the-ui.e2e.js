import fs from "node:fs";
import { Key } from "webdriverio";
import {
  byTestId,
  chooseOption,
  deleteTemplateIfPresent,
  field,
  invoke,
  logLines,
  navigate,
  startFromTemplateList,
  typeInto,
  useLanguage,
  waitForApp,
  waitForDialogsClosed,
  waitForLogLine,
  waitForRunStatus,
} from "../support/app.js";

const NAME = "e2e-hello";
const SCRIPT = 'echo "hello $WHO"';
const PWNED = "/tmp/e2e-pwned";
const PAYLOAD = `$(touch ${PWNED})`;

describe("a template created in the UI", () => {
  before(async () => {
    await waitForApp();
    fs.rmSync(PWNED, { force: true });
    await deleteTemplateIfPresent(NAME);
    await useLanguage("en");
  });

  it("is saved from the editor with a string parameter and a script", async () => {
    await navigate("nav-templates", "templates-new");
    await byTestId("templates-new").click();
    await typeInto("editor-name", NAME);

    await byTestId("editor-add-param").click();
    await typeInto("param-name-0", "WHO");
    await chooseOption("param-type-0", "string", /^(string|text|字符串|文本)$/i);

    const editor = await $('[data-testid="editor-script"] .cm-content');
    await editor.waitForDisplayed({ timeoutMsg: "editor-script has no CodeMirror .cm-content" });
    await editor.click();
    await browser.keys([Key.Ctrl, "a"]);
    await browser.keys(Key.Backspace);
    await editor.addValue(SCRIPT);
    expect((await editor.getText()).trim()).toBe(SCRIPT);

    const nameValue = await (await field("editor-name")).getValue();
    await byTestId("editor-save").click();
    const seen = new Set(); // toasts shown meanwhile, for the failure message
    const saved = await browser
      .waitUntil(
        async () => {
          for (const m of await $$(".el-message, .el-notification")) seen.add(await m.getText());
          return invoke("template_get", { name: NAME }).then(
            () => true,
            () => false,
          );
        },
        { timeout: 10000 },
      )
      .catch(() => false);
    if (!saved) {
      const problems = await byTestId("editor-save").getAttribute("data-problems");
      throw new Error(
        `editor-save did not create template ${NAME} (name field: "${nameValue}", ` +
          `messages: ${JSON.stringify([...seen])}, problems: ${problems})`,
      );
    }
    const { spec } = await invoke("template_get", { name: NAME });
    expect(spec.script.trim()).toBe(SCRIPT);
    expect(spec.params.map((p) => [p.name, p.type])).toEqual([["WHO", "string"]]);
  });

  it("runs from the list and passes a parameter to the script as data, never as code", async () => {
    await startFromTemplateList(NAME, { WHO: PAYLOAD });
    await waitForLogLine((t) => t.includes(`hello ${PAYLOAD}`), 30000, `"hello ${PAYLOAD}"`);
    await waitForRunStatus("succeeded");
    // A rendered line may also show its number or time before the text: compare the end.
    const lines = (await logLines()).map((l) => l.text.trimEnd());
    expect(lines.some((t) => t.endsWith(` ${PAYLOAD}`) && t.includes("hello"))).toBe(true);
    expect(fs.existsSync(PWNED)).toBe(false); // the parameter must never be evaluated by a shell
  });

  it("is imported from YAML typed into the import dialog's editor, and exported again", async () => {
    const imported = "e2e-imported";
    await deleteTemplateIfPresent(imported);
    await waitForDialogsClosed(); // the run form of the test before may still be fading out
    await navigate("nav-templates", "templates-import");
    await byTestId("templates-import").click();
    const editor = await $('[data-testid="import-text"] .cm-content');
    await editor.waitForDisplayed({ timeoutMsg: "import-text has no CodeMirror .cm-content" });
    await editor.click();
    for (const line of ["kind: shell", `name: ${imported}`, "script: echo imported"]) {
      await editor.addValue(line);
      await browser.keys(Key.Enter); // WebDriver's "\n" is no Enter in CodeMirror
    }
    const submit = await byTestId("import-submit");
    await browser.waitUntil(async () => submit.isEnabled(), {
      timeoutMsg: "import-submit stayed disabled for valid YAML",
    });
    await submit.click();
    await browser.waitUntil(
      async () => (await browser.getUrl()).endsWith(`#/templates/${imported}`),
      {
        timeoutMsg: "importing did not open the imported template's editor",
      },
    );
    const { spec } = await invoke("template_get", { name: imported });
    expect(spec.script.trim()).toBe("echo imported");
    // ...and exported again from its editor, highlighted and whole.
    await byTestId("editor-export").click();
    const exported = await $('[data-testid="export-yaml"] .cm-content');
    await exported.waitForDisplayed({ timeoutMsg: "editor-export shows no export-yaml editor" });
    expect(await exported.getText()).toContain(`name: ${imported}`);
    await browser.keys(Key.Escape);
  });

  it("asks before Back leaves an editor with unsaved changes, and Stay keeps its URL", async () => {
    await waitForDialogsClosed();
    await navigate("nav-templates", `template-row-${NAME}`);
    await $(`[data-testid="template-row-${NAME}"] a`).click();
    const url = `#/templates/${NAME}`;
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(url));
    await typeInto("editor-description", "changed, not saved");
    await byTestId("editor-dirty").waitForDisplayed({ timeoutMsg: "the edit made nothing dirty" });

    await browser.execute(() => window.history.back()); // the mouse's back button
    const stay = await byTestId("confirm-cancel");
    await stay.waitForDisplayed({ timeoutMsg: "Back left a dirty editor without asking" });
    await browser.pause(300); // the hashchange after the popstate must not close the question
    await stay.click();
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(url), {
      timeoutMsg: `Stay did not put the editor's URL back (${await browser.getUrl()})`,
    });
    await expect(byTestId("editor-dirty")).toBeDisplayed();
  });
});
