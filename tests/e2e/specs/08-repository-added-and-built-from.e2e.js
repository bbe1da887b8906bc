// Issue 4 through the UI: a repository is added on the Repositories page, "Test" lists its
// branches (or says why it cannot), and a template with that source runs on the repository's
// commit, which its run page shows. The repository is a real one made here with git (file://).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import {
  byTestId,
  deleteIfPresent,
  deleteTemplateIfPresent,
  importTemplate,
  invoke,
  navigate,
  startFromTemplateList,
  typeInto,
  useLanguage,
  waitForApp,
  waitForDialogsClosed,
  waitForLogLine,
  waitForRunStatus,
} from "../support/app.js";

const REPO = "e2e-repo";
const BROKEN = "e2e-repo-missing";
const TEMPLATE = "e2e-from-repo";

function makeRepository() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-repo-"));
  const git = (...args) =>
    execFileSync("git", ["-C", dir, ...args], {
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "E2E",
        GIT_AUTHOR_EMAIL: "e2e@example.com",
        GIT_COMMITTER_NAME: "E2E",
        GIT_COMMITTER_EMAIL: "e2e@example.com",
      },
    }).trim();
  git("init", "-q", "-b", "main");
  fs.writeFileSync(path.join(dir, "VERSION"), "1.2.3\n");
  git("add", "VERSION");
  git("commit", "-q", "-m", "first release");
  git("branch", "release/1");
  git("tag", "v1.2.3");
  const head = git("rev-parse", "HEAD");
  git("checkout", "-q", "release/1");
  fs.writeFileSync(path.join(dir, "VERSION"), "1.2.4\n");
  git("commit", "-q", "-am", "a fix on the release branch");
  const release = git("rev-parse", "HEAD");
  git("checkout", "-q", "main");
  return { dir, url: `file://${dir}`, head, release };
}

async function addThroughTheForm(name, url) {
  await byTestId("repo-add").click();
  await byTestId("repo-form").waitForDisplayed({ timeoutMsg: "repo-add did not open repo-form" });
  await typeInto("repo-name", name);
  await typeInto("repo-url", url);
  await byTestId("repo-save").click();
  await byTestId(`repo-row-${name}`).waitForDisplayed({
    timeoutMsg: `repo-save did not list repo-row-${name}`,
  });
  await waitForDialogsClosed();
}

async function testResult(name) {
  await byTestId(`repo-test-btn-${name}`).click();
  const result = await byTestId(`repo-test-${name}`);
  await browser.waitUntil(
    async () => (await result.isDisplayed()) && !/testing|正在测试/i.test(await result.getText()),
    { timeout: 20000, timeoutMsg: `repo-test-${name} did not show an outcome within 20 s` },
  );
  return result.getText();
}

describe("a repository", () => {
  let repo;

  before(async () => {
    await waitForApp();
    await useLanguage("en");
    repo = makeRepository();
    await deleteTemplateIfPresent(TEMPLATE);
    for (const name of [REPO, BROKEN]) await deleteIfPresent("repo_delete", name);
  });

  after(() => fs.rmSync(repo.dir, { recursive: true, force: true }));

  it("is added on the Repositories page and Test lists its branches and tags", async () => {
    await navigate("nav-repositories", "repo-add");
    await addThroughTheForm(REPO, repo.url);
    const text = await testResult(REPO);
    expect(text).toContain("main");
    expect(text).toContain("release/1");
    expect(text).toContain("v1.2.3");
  });

  it("that does not exist says so on Test, in words", async () => {
    await addThroughTheForm(BROKEN, `file://${repo.dir}-nowhere`);
    const text = await testResult(BROKEN);
    expect(text).toMatch(/could not|cannot|not found|does not exist|no such/i);
    expect(text).toContain(`${repo.dir}-nowhere`);
  });

  it("is the source of a template whose run shows and receives the commit", async () => {
    await importTemplate(`kind: shell
name: ${TEMPLATE}
source: { repo: ${REPO}, ref: main }
script: |
  echo "version $(cat VERSION) at $SIMPLE_CICD_COMMIT on $SIMPLE_CICD_BRANCH"
`);
    await startFromTemplateList(TEMPLATE);
    await waitForLogLine(
      (t) => t.includes(`version 1.2.3 at ${repo.head} on main`),
      60000,
      `"version 1.2.3 at ${repo.head} on main"`,
    );
    await waitForRunStatus("succeeded", 60000);
    const commit = await byTestId("run-commit");
    await commit.waitForDisplayed({ timeoutMsg: "the run page shows no run-commit" });
    // textContent: the subject may be cut to the width the header leaves it (ellipsis).
    const shown = await commit.getProperty("textContent");
    expect(shown).toContain(repo.head.slice(0, 7));
    expect(shown).toContain("first release");
  });

  it("runs on another branch chosen in the run form", async () => {
    await byTestId("run-rerun-with").click();
    await typeInto("run-form-ref", "release/1");
    await byTestId("run-form-submit").click();
    await waitForLogLine(
      (t) => t.includes(`version 1.2.4 at ${repo.release} on release/1`),
      60000,
      `"version 1.2.4 at ${repo.release} on release/1"`,
    );
    await waitForRunStatus("succeeded", 60000);
    const commit = await byTestId("run-commit");
    expect(await commit.getProperty("textContent")).toContain("a fix on the release branch");
  });
});
