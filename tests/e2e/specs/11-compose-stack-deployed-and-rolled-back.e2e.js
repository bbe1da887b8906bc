// A compose stack from the editor to a rollback: the compose file typed into the editor (a typo at
// the top level is refused at its field first), run, seen healthy on the Apps page and serving
// version 1; changed to version 2 and run again; rolled back from the app's revisions list to
// revision 1 (the confirmation shows the image and configuration lines that change), whose image
// is then served again; two revisions compared; the app in the tray, opening its page. Images are built FROM scratch with busybox-static
// and pushed to a docker-registry started here on a free loopback port (nothing is pulled from
// the internet).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Key } from "webdriverio";
import {
  byTestId,
  deleteTemplateIfPresent,
  invoke,
  navigate,
  testid,
  typeInto,
  useLanguage,
  waitForApp,
  waitForRunStatus,
} from "../support/app.js";

const NAME = "e2e-compose";
const LAUNCH_TIMEOUT = 180000;

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

async function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${ms} ms`);
}

/** Builds an image FROM scratch that serves `text` over HTTP on port 80 (busybox httpd), and pushes it. */
function buildAndPush(tag, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-compose-image-"));
  fs.copyFileSync("/bin/busybox", path.join(dir, "busybox"));
  fs.chmodSync(path.join(dir, "busybox"), 0o755);
  fs.writeFileSync(path.join(dir, "index.html"), `${text}\n`);
  fs.writeFileSync(
    path.join(dir, "Dockerfile"),
    [
      "FROM scratch",
      "COPY busybox /bin/busybox",
      "COPY index.html /www/index.html",
      'ENTRYPOINT ["/bin/busybox", "httpd", "-f", "-p", "80", "-h", "/www"]',
    ].join("\n"),
  );
  execFileSync("docker", ["build", "-q", "-t", tag, dir], { stdio: "pipe" });
  execFileSync("docker", ["push", tag], { stdio: "pipe" });
  fs.rmSync(dir, { recursive: true, force: true });
}

/** What the stack serves on the published port, or "" while nothing answers. */
async function served(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return (await res.text()).trim();
  } catch {
    return "";
  }
}

async function waitForServed(port, text, timeout = 30000) {
  await browser.waitUntil(async () => (await served(port)) === text, {
    timeout,
    interval: 500,
    timeoutMsg: `the stack did not serve "${text}" on port ${port} (last: "${await served(port)}")`,
  });
}

describe("a compose stack deployed from the editor", () => {
  let registry;
  let registryDir;
  let image;
  let webPort;

  const composeLine = (tag) =>
    `services: {web: {image: '${image}:${tag}', ports: ['127.0.0.1:${webPort}:80'], ` +
    "healthcheck: {test: ['CMD', '/bin/busybox', 'wget', '-qO-', 'http://127.0.0.1/'], " +
    "interval: 1s, timeout: 2s, retries: 30}}}";

  /** Replaces the compose editor's text with these lines (flow style: Enter keeps the indentation). */
  async function typeCompose(...lines) {
    const editor = await $(`${testid("compose-yaml")} .cm-content`);
    await editor.waitForDisplayed({ timeoutMsg: "compose-yaml has no CodeMirror .cm-content" });
    await editor.click();
    await browser.keys([Key.Ctrl, "a"]);
    await browser.keys(Key.Backspace);
    for (const [i, line] of lines.entries()) {
      if (i > 0) await browser.keys(Key.Enter); // WebDriver's "\n" is no Enter in CodeMirror
      await editor.addValue(line);
    }
  }

  before(async () => {
    const port = await freePort();
    registryDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-compose-registry-"));
    fs.writeFileSync(
      path.join(registryDir, "config.yml"),
      `version: 0.1\nlog: { level: error }\nstorage: { filesystem: { rootdirectory: ${registryDir}/data } }\nhttp: { addr: 127.0.0.1:${port} }\n`,
    );
    registry = spawn("docker-registry", ["serve", path.join(registryDir, "config.yml")], {
      stdio: "ignore",
    });
    await waitForPort(port, 15000);
    image = `127.0.0.1:${port}/e2e-compose-web`;
    webPort = await freePort();
    buildAndPush(`${image}:1`, "e2e version 1");
    buildAndPush(`${image}:2`, "e2e version 2");

    await waitForApp();
    await useLanguage("en");
    await invoke("app_action", { name: `${NAME}@local`, action: "down" }).catch(() => {});
    await deleteTemplateIfPresent(NAME);
  });

  after(async () => {
    await invoke("app_action", { name: `${NAME}@local`, action: "down-with-volumes" }).catch(
      () => {},
    );
    registry?.kill();
    if (registryDir) fs.rmSync(registryDir, { recursive: true, force: true });
    for (const tag of ["1", "2"]) {
      try {
        execFileSync("docker", ["rmi", "-f", `${image}:${tag}`], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
  });

  it("refuses a typo in the compose file at its field, then saves the stack", async () => {
    await navigate("nav-templates", "templates-new-compose");
    await byTestId("templates-new-compose").click();
    await byTestId("compose-fields").waitForDisplayed({
      timeoutMsg: "no compose fields in the editor",
    });
    await typeInto("editor-name", NAME);
    await typeInto("compose-project", NAME);
    await typeCompose("volume: {data: {}}", composeLine("1"));
    await byTestId("editor-save").click();
    const error = await byTestId("field-error-compose");
    await error.waitForDisplayed({
      timeout: 10000,
      timeoutMsg: "the typo was not reported at the compose file",
    });
    expect(await error.getText()).toContain("did you mean `volumes`");

    await typeCompose(composeLine("1"));
    await byTestId("editor-save").click();
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(`#/templates/${NAME}`), {
      timeoutMsg: "saving did not move the editor to the stack's URL",
    });
    const { spec } = await invoke("template_get", { name: NAME });
    expect(spec.kind).toBe("compose");
    expect(spec.project).toBe(NAME);
  });

  it("runs, and the app is healthy on the Apps page, serving version 1", async () => {
    await byTestId("editor-run").click();
    await byTestId("run-status").waitForExist({
      timeout: 15000,
      timeoutMsg: "no run page after Run",
    });
    await waitForRunStatus("succeeded", LAUNCH_TIMEOUT);
    await waitForServed(webPort, "e2e version 1");

    await navigate("nav-apps", `apps-row-${NAME}`);
    await browser.waitUntil(
      async () =>
        (await byTestId(`apps-health-${NAME}`).$("[data-health]").getAttribute("data-health")) ===
        "healthy",
      { timeout: 30000, timeoutMsg: "the app did not show as healthy on the Apps page" },
    );
  });

  it("is changed to version 2 and run again", async () => {
    await browser.execute((name) => (location.hash = `#/templates/${name}`), NAME);
    await typeCompose(composeLine("2"));
    await byTestId("editor-run").click(); // saves first
    await browser.waitUntil(async () => /#\/runs\/\d+/.test(await browser.getUrl()), {
      timeout: 15000,
      timeoutMsg: "Run did not open the new run",
    });
    await waitForRunStatus("succeeded", LAUNCH_TIMEOUT);
    await waitForServed(webPort, "e2e version 2");
  });

  it("rolls back to revision 1 from the revisions list, and version 1 is served again", async () => {
    await navigate("nav-apps", `apps-row-${NAME}`);
    await byTestId(`apps-open-${NAME}`).click();
    await byTestId("app-rollback-1").waitForDisplayed({
      timeout: 20000,
      timeoutMsg: "revision 1 offers no Roll back",
    });
    expect(await byTestId("app-rollback-2").isExisting()).toBe(false); // what runs now
    await byTestId("app-rollback-1").click();
    const change = await byTestId("app-diff-image-web");
    await change.waitForDisplayed({ timeoutMsg: "the rollback dialog shows no change for web" });
    expect(await change.getAttribute("data-changed")).toBe("true");
    expect(await change.getText()).toContain(`${image}:2`);
    expect(await change.getText()).toContain(`${image}:1`);
    const config = (await (await byTestId("app-diff-config")).getText()).replace(/\s+/g, " ");
    expect(config).toContain(`- image: ${image}:2`); // from the current revision #2 ...
    expect(config).toContain(`+ image: ${image}:1`); // ... to #1
    await byTestId("app-rollback-confirm").click();
    await browser.waitUntil(async () => /#\/runs\/\d+/.test(await browser.getUrl()), {
      timeout: 15000,
      timeoutMsg: "the rollback did not open its run",
    });
    await waitForRunStatus("succeeded", LAUNCH_TIMEOUT);
    await waitForServed(webPort, "e2e version 1");

    const detail = await invoke("app_get", { name: `${NAME}@local` });
    expect(detail.revisions.map((r) => r.number)).toEqual([3, 2, 1]);
    // The rollback names who asked for it: the desktop's OS user.
    expect(detail.revisions[0].trigger).toMatch(/^rollback to #1 by \S+$/);
    expect(detail.revisions.slice(1).map((r) => r.trigger)).toEqual(["manual", "manual"]);
    expect(detail.healthy).toBe(true);
    expect(detail.drifted).toBe(false);
  });

  it("compares revisions on the app's page", async () => {
    await navigate("nav-apps", `apps-row-${NAME}`);
    await byTestId(`apps-open-${NAME}`).click();
    const compare = await byTestId("app-compare");
    await compare.waitForDisplayed({
      timeout: 20000,
      timeoutMsg: "the app's page offers no Compare",
    });
    await compare.click();
    const dialog = await byTestId("app-compare-dialog");
    await dialog.waitForDisplayed({ timeoutMsg: "Compare opened no dialog" });
    // The current revision (#3, the rollback) against the one before it (#2).
    const web = await byTestId("app-diff-image-web");
    await web.waitForDisplayed({ timeoutMsg: "the comparison shows no image for web" });
    expect(await web.getAttribute("data-changed")).toBe("true");
    const config = (await (await byTestId("app-diff-config")).getText()).replace(/\s+/g, " ");
    expect(config).toContain(`- image: ${image}:2`);
    // The rollback launched revision 1's image pinned by digest.
    expect(config).toContain(`+ image: ${image}@sha256:`);
    await browser.keys("Escape");
  });

  it("is in the tray with its health, and the tray opens its page", async () => {
    const handle = `${NAME}@local`;
    const entry = async () =>
      (await invoke("tray_menu_model")).items.find((i) => i.id === `app:${handle}`);
    await browser.waitUntil(async () => (await entry()) !== undefined, {
      timeoutMsg: "the tray never listed the app",
    });
    expect((await entry()).label).toContain(NAME);
    await browser.execute(() => (location.hash = "#/"));
    await invoke("tray_menu_click", { id: `app:${handle}` });
    await browser.waitUntil(async () => /#\/apps\/[^/]+/.test(await browser.getUrl()), {
      timeout: 10000,
      timeoutMsg: "the tray did not open the app's page",
    });
  });
});
