// Issue 6: the tray (its menu is native, so the spec reads it through tray_menu_model and clicks it
// through tray_menu_click, the same code as a real click), pinning from the Templates page, a quick
// run, pages opened from the tray, and single instance: a second launch hands over and exits.
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  byTestId,
  deleteTemplateIfPresent,
  importTemplate,
  invoke,
  navigate,
  useLanguage,
  waitForApp,
  waitForRunStatus,
} from "../support/app.js";

const QUICK = "e2e-tray-quick";
const FORM = "e2e-tray-form";
const here = path.dirname(fileURLToPath(import.meta.url));
const appBin =
  process.env.TAURI_APP_BIN ??
  path.join(path.resolve(here, "../../..", process.env.CARGO_TARGET_DIR ?? "target"), "debug", "simple-cicd");

const runsOf = (template) => invoke("run_list", { filter: { template, limit: 5, offset: 0 } });
const trayIds = async () => (await invoke("tray_menu_model")).items.map((i) => i.id);

describe("the tray and a well-behaved desktop app", () => {
  before(async () => {
    await waitForApp();
    await useLanguage("en");
    for (const name of [QUICK, FORM]) await deleteTemplateIfPresent(name);
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

    const run = (await runsOf(QUICK)).runs[0];
    await invoke("tray_menu_click", { id: `run:${run.id}` });
    await browser.waitUntil(async () => (await browser.getUrl()).endsWith(`#/runs/${run.id}`), {
      timeoutMsg: `the tray did not open run ${run.id}`,
    });
    await waitForRunStatus("succeeded");
  });

  it("hands a second launch over to the running instance", async () => {
    const second = spawn(appBin, [], { env: process.env, stdio: "ignore" });
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
