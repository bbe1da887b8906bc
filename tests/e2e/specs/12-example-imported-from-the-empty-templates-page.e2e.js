// Issue 12 through the UI: on the empty Templates page, "Start from an example" shows what the
// bundled example imports, asks for the web app's repository, imports its templates and pipelines
// and opens the pipeline; a second import names the templates that exist and replaces them only
// when asked. The last spec: it removes every template first, to see the empty page (runs stay).
import {
  byTestId,
  deleteIfPresent,
  deleteTemplateIfPresent,
  invoke,
  navigate,
  useLanguage,
  waitForApp,
  waitForDialogsClosed,
} from "../support/app.js";

const REPO = "e2e-webapp";

async function templateNames() {
  return (await invoke("template_list")).map((t) => t.name);
}

async function openExampleDialog() {
  await byTestId("example-dialog").waitForDisplayed({
    timeoutMsg: "Start from an example did not open example-dialog",
  });
  await byTestId("example-templates").waitForDisplayed({
    timeoutMsg: "the example dialog never listed the example's templates",
  });
}

describe("start from an example", () => {
  let example;

  before(async () => {
    await waitForApp();
    await useLanguage("en");
    for (const name of await templateNames()) await deleteTemplateIfPresent(name);
    await deleteIfPresent("repo_delete", REPO);
    await invoke("repo_save", {
      input: {
        name: REPO,
        url: "file:///srv/git/webapp.git",
        provider: null,
        auth: "none",
        username: null,
        secret: null,
        passphrase: null,
      },
      replace: false,
    });
    example = await invoke("example_get");
  });

  after(async () => {
    for (const spec of example?.templates ?? []) await deleteTemplateIfPresent(spec.name);
    await deleteIfPresent("repo_delete", REPO);
  });

  it("imports the example from the empty Templates page into the chosen repository and opens the pipeline", async () => {
    await navigate("nav-templates", "templates-empty");
    await byTestId("empty-example").click();
    await openExampleDialog();
    const listed = await byTestId("example-templates").getText();
    for (const spec of example.templates) expect(listed).toContain(spec.name);
    await expect(byTestId("example-need-registry-local")).toBeDisplayed();
    await byTestId("example-repo").selectByAttribute("value", REPO);
    await byTestId("example-import-submit").click();

    await byTestId("pipeline-editor").waitForDisplayed({
      timeout: 15000,
      timeoutMsg: "Import did not open the pipeline's editor",
    });
    await browser.waitUntil(
      async () => (await browser.getUrl()).includes(`/templates/${example.pipeline}`),
      {
        timeoutMsg: `the editor is not the pipeline ${example.pipeline}'s`,
      },
    );
    await expect(byTestId("pipeline-preview")).toBeDisplayed();
    expect((await templateNames()).sort()).toEqual(example.templates.map((s) => s.name).sort());
    const pipeline = await invoke("template_get", { name: example.pipeline });
    expect(pipeline.spec.source.repo).toBe(REPO);
  });

  it("a second import names the templates that exist and replaces them only when asked", async () => {
    await waitForDialogsClosed();
    await browser.execute(() => {
      window.location.hash = "#/templates?example=webapp";
    });
    await openExampleDialog();
    const taken = await byTestId("example-taken");
    await taken.waitForDisplayed({ timeoutMsg: "the dialog did not say which templates exist" });
    expect(await taken.getText()).toContain(example.pipeline);
    await byTestId("example-repo").selectByAttribute("value", REPO);
    await byTestId("example-import-submit").click();
    await browser.waitUntil(
      async () => /Tick “Replace them”/.test(await byTestId("example-dialog").getText()),
      { timeoutMsg: "Import over existing templates without Replace did not say what to do" },
    );
    await byTestId("example-replace").click();
    await byTestId("example-import-submit").click();
    await byTestId("pipeline-editor").waitForDisplayed({
      timeout: 15000,
      timeoutMsg: "Import with Replace did not open the pipeline's editor",
    });
    expect((await templateNames()).length).toBe(example.templates.length);
  });
});
