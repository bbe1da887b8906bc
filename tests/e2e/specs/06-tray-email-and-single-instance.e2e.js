// Issue 6: the tray (its menu is native, so the spec reads it through tray_menu_model and clicks it
// through tray_menu_click, the same code as a real click), pinning from the Templates page, a quick
// run, pages opened from the tray, the desktop notification of a run (received by dunst; a click on
// it opens the run's page), "Send test e-mail" against a real SMTP server (aiosmtpd), start at
// login, and single instance: a second launch hands over and exits.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Key } from "webdriverio";
import {
  byTestId,
  deleteTemplateIfPresent,
  field,
  importTemplate,
  invoke,
  navigate,
  useLanguage,
  waitForApp,
  waitForRunStatus,
} from "../support/app.js";
import { appBinary } from "../support/appProcesses.js";

const QUICK = "e2e-tray-quick";
const NOTIFIED = "e2e-notified";
const FORM = "e2e-tray-form";
const here = path.dirname(fileURLToPath(import.meta.url));

const smtpSink = path.resolve(here, "../../../src-tauri/engine/tests/support/smtp_sink.py");

/** Starts aiosmtpd (AUTH required: ci-user / ci-pass) on a free port; resolves with port and stop. */
async function startSmtp() {
  const port = await new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-smtp-"));
  const child = spawn("/usr/bin/python3", ["-u", smtpSink, "auth", String(port), dir], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once("data", resolve);
    child.once("exit", (c) =>
      reject(new Error(`aiosmtpd exited (${c}): apt install python3-aiosmtpd`)),
    );
  });
  return { port, stop: () => child.kill() };
}

/** Replaces a field's text the way a user does (select all, type): el-input ignores clearValue. */
async function typeInto(id, text) {
  const input = await field(id);
  await input.click();
  await browser.keys([Key.Ctrl, "a"]);
  await browser.keys(Key.Backspace);
  await input.addValue(text);
}

/** dunstctl on the session's bus (the e2e session runs dunst as its notification server). */
const dunstctl = (...args) => execFileSync("dunstctl", args, { encoding: "utf8" });

const runsOf = (template) => invoke("run_list", { filter: { template, limit: 5, offset: 0 } });
const trayIds = async () => (await invoke("tray_menu_model")).items.map((i) => i.id);

describe("the tray and a well-behaved desktop app", () => {
  before(async () => {
    await waitForApp();
    await useLanguage("en");
    for (const name of [QUICK, FORM, NOTIFIED]) await deleteTemplateIfPresent(name);
    await importTemplate(`kind: shell\nname: ${QUICK}\nscript: echo quick\n`);
    await importTemplate(
      `kind: shell\nname: ${FORM}\nparams:\n  - name: WHO\n    type: string\n    default: world\nscript: echo "hi $WHO"\n`,
    );
  });

  it("lists a template pinned on the Templates page in the tray menu", async () => {
    await navigate("nav-templates", `template-row-${QUICK}`);
    const pin = await byTestId(`template-pin-${QUICK}`);
    expect(await pin.getAttribute("data-pinned")).toBe("false");
    await pin.click();
    await browser.waitUntil(async () => (await pin.getAttribute("data-pinned")) === "true", {
      timeoutMsg: "the pin button did not turn on",
    });
    await browser.waitUntil(async () => (await trayIds()).includes(`quick:${QUICK}`), {
      timeoutMsg: `tray_menu_model never listed quick:${QUICK}`,
    });
    const ids = await trayIds();
    expect(ids).not.toContain(`quick:${FORM}`);
    expect(ids).toEqual(expect.arrayContaining(["open", "pause", "dnd", "quit"]));
  });

  it("starts a template without parameters at once from its tray entry", async () => {
    const before = (await runsOf(QUICK)).total;
    await invoke("tray_menu_click", { id: `quick:${QUICK}` });
    await browser.waitUntil(async () => (await runsOf(QUICK)).total === before + 1, {
      timeoutMsg: "the quick run did not start",
    });
    const run = (await runsOf(QUICK)).runs[0];
    expect(run.trigger).toBe("tray");
    await browser.waitUntil(async () => (await trayIds()).includes(`run:${run.id}`), {
      timeoutMsg: "the run never appeared among the tray's recent runs",
    });
  });

  it("opens the run form of a template with parameters, and a run's page", async () => {
    await invoke("template_pin", { name: FORM, pinned: true });
    await invoke("tray_menu_click", { id: `quick:${FORM}` });
    await byTestId("run-form-dialog").waitForDisplayed({ timeoutMsg: "the run form did not open" });
    await browser.keys("Escape");
    await byTestId("run-form-dialog").waitForDisplayed({
      reverse: true,
      timeoutMsg: "Escape did not close the run form",
    });

    const run = (await runsOf(QUICK)).runs[0];
    await invoke("tray_menu_click", { id: `run:${run.id}` });
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(`#/runs/${run.id}`), {
      timeoutMsg: `the tray did not open run ${run.id}`,
    });
    await waitForRunStatus("succeeded");
  });

  it("notifies the desktop when a run fails, and a click on the notification opens the run", async () => {
    await importTemplate(
      `kind: shell\nname: ${NOTIFIED}\nscript: exit 4\nnotify:\n  - when: [failed]\n    desktop: true\n`,
    );
    const notified = async () => {
      dunstctl("close-all");
      const run = await invoke("run_start", { template: NOTIFIED, params: {} });
      await browser.waitUntil(async () => Number(dunstctl("count", "displayed").trim()) > 0, {
        timeout: 20000,
        timeoutMsg: `dunst never showed the notification of run ${run.id}`,
      });
      return run;
    };

    // What the notification server received (closed notifications move to dunst's history).
    const first = await notified();
    dunstctl("close-all");
    const note = JSON.parse(dunstctl("history")).data[0].find(
      (n) => n.summary.data === `${NOTIFIED} #${first.number} failed`,
    );
    expect(note?.appname.data).toBe("simple-cicd");
    expect(note?.body.data).toMatch(/^failed after .*, exit code 4$/);

    // A click (the notification's default action) opens the run's page.
    const second = await notified();
    await browser.pause(1000); // the app's click watcher subscribes to the action signal
    dunstctl("action", "0");
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(`#/runs/${second.id}`), {
      timeoutMsg: `a click on the notification did not open run ${second.id}`,
    });
  });

  it("sends a test e-mail from Settings and shows the server's exact answer", async () => {
    const smtp = await startSmtp();
    try {
      await navigate("nav-settings", "settings-email");
      await typeInto("smtp-host", "127.0.0.1");
      await typeInto("smtp-port", String(smtp.port));
      await (await byTestId("smtp-security")).$("label*=None").click();
      await typeInto("smtp-username", "ci-user");
      await typeInto("smtp-password", "wrong-pass");
      await typeInto("smtp-from", "simple-cicd <ci@example.com>");
      await browser.keys("Enter"); // each SMTP setting saves itself when left or on Enter
      await byTestId("settings-saved-smtp.from").waitForDisplayed({
        timeoutMsg: "the sender was not saved on Enter",
      });
      await browser.waitUntil(async () => !(await (await field("smtp-password")).getValue()), {
        timeoutMsg: "the password field was not cleared after saving (not stored?)",
      });
      const answer = async () => {
        await byTestId("smtp-test-send").click();
        const alert = await byTestId("smtp-test-answer");
        await alert.waitForDisplayed({ timeoutMsg: "no answer from Send test e-mail" });
        return alert;
      };
      await typeInto("smtp-test-to", "me@example.com");
      let alert = await answer();
      expect(await alert.getAttribute("data-accepted")).toBe("false");
      expect(await alert.getText()).toContain("535 5.7.8 Authentication credentials invalid");

      await typeInto("smtp-password", "ci-pass");
      await browser.keys("Enter");
      await browser.waitUntil(async () => !(await (await field("smtp-password")).getValue()));
      alert = await answer();
      await browser.waitUntil(async () => (await alert.getAttribute("data-accepted")) === "true", {
        timeoutMsg: `the right password was refused: ${await alert.getText()}`,
      });
      expect(await alert.getText()).toContain("250 OK");
    } finally {
      smtp.stop();
    }
  });

  it("registers and unregisters the start at login", async () => {
    const entry = path.join(os.homedir(), ".config", "autostart", "simple-cicd.desktop");
    await invoke("config_set", { key: "app.startAtLogin", value: "true" });
    expect(fs.readFileSync(entry, "utf8")).toContain("--autostart");
    await invoke("config_set", { key: "app.startAtLogin", value: "false" });
    expect(fs.existsSync(entry)).toBe(false);
  });

  it("hands a second launch over to the running instance", async () => {
    const second = spawn(appBinary, [], { env: process.env, stdio: "ignore" });
    const code = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        second.kill("SIGKILL");
        reject(new Error("the second instance kept running: single instance did not hand over"));
      }, 30000);
      second.on("exit", (c) => (clearTimeout(timer), resolve(c)));
    });
    expect(code).toBe(0);
    // The first instance is still there and answering.
    expect((await invoke("tray_menu_model")).items.length).toBeGreaterThan(0);
  });
});
