// Small vocabulary for driving the simple-cicd desktop app through the data-testid contract
// (/work/notes/contract.md). Specs use only these testids, plus the backend's Tauri commands for
// setting up data that a spec does not test through the UI.
import { Key } from "webdriverio";

export const testid = (id) => `[data-testid="${id}"]`;
export const byTestId = (id) => $(testid(id));

/** Resolves once the app shell has rendered (first start of a fresh data dir can take a while). */
export async function waitForApp() {
  await byTestId("nav-dashboard").waitForDisplayed({
    timeout: 60000,
    timeoutMsg: "the app shell never rendered nav-dashboard (is ui/dist embedded in the binary?)",
  });
}

/** Calls a Tauri command of the backend; rejects with the ApiError's code and message. */
export async function invoke(cmd, args = {}) {
  const res = await browser.executeAsync(
    (cmd, args, done) => {
      window.__TAURI_INTERNALS__.invoke(cmd, args).then(
        (ok) => done({ ok }),
        (err) => done({ err: err ?? null }),
      );
    },
    cmd,
    args,
  );
  if (res && "err" in res) {
    const e = new Error(`${cmd} failed: ${JSON.stringify(res.err)}`);
    e.apiError = res.err;
    throw e;
  }
  return res?.ok;
}

/** Creates or updates a template from YAML text through the backend (not through the UI). */
export const importTemplate = (yaml) => invoke("template_import_yaml", { yaml });

/** Calls a delete command (`template_delete`, `repo_delete`, ...); a missing `name` is fine. */
export async function deleteIfPresent(cmd, name) {
  try {
    await invoke(cmd, { name });
  } catch (e) {
    if (e.apiError?.code !== "not_found") throw e;
  }
}

export const deleteTemplateIfPresent = (name) => deleteIfPresent("template_delete", name);

export async function navigate(navId, readyTestId) {
  await byTestId(navId).click();
  if (readyTestId) {
    await byTestId(readyTestId).waitForDisplayed({
      timeoutMsg: `${navId} did not show ${readyTestId}`,
    });
  }
}

/** Resolves once no dialog overlay is on screen (one fading out still takes the clicks). */
export async function waitForDialogsClosed(timeout = 5000) {
  await browser.waitUntil(
    async () => {
      for (const o of await $$(".el-overlay")) if (await o.isDisplayed()) return false;
      return true;
    },
    { timeout, timeoutMsg: "a dialog stayed open" },
  );
}

/**
 * The typeable element of a field: the element carrying the testid if it is an input/textarea,
 * else the first input/textarea inside it (component libraries put attributes on a wrapper).
 */
export async function field(id) {
  const host = await byTestId(id);
  await host.waitForDisplayed({ timeoutMsg: `${id} is not displayed` });
  const tag = await host.getTagName();
  if (tag === "input" || tag === "textarea") return host;
  const inner = await host.$("input, textarea");
  if (!(await inner.isExisting()))
    throw new Error(`${id} is a <${tag}> with no input or textarea inside`);
  return inner;
}

export async function typeInto(id, text) {
  const input = await field(id);
  await input.click();
  await input.clearValue();
  await input.setValue(text);
}

/**
 * Picks an option of a select-like control: a native <select> by value, or a component-library
 * select (Element Plus el-select, role="combobox") by clicking the visible option whose label is
 * the raw value or matches labelPattern (the translated label).
 */
export async function chooseOption(id, value, labelPattern) {
  const host = await byTestId(id);
  await host.waitForDisplayed({ timeoutMsg: `${id} is not displayed` });
  const tag = await host.getTagName();
  const select = tag === "select" ? host : await host.$("select");
  if (await select.isExisting()) {
    await select.selectByAttribute("value", value);
    return;
  }
  const cls = (await host.getAttribute("class")) ?? "";
  const role = (await host.getAttribute("role")) ?? "";
  if (!/el-select/.test(cls) && role !== "combobox") {
    const input = tag === "input" ? host : await host.$("input");
    if (await input.isExisting()) {
      await typeInto(id, value); // a free-text filter
      return;
    }
  }
  await host.click();
  const seen = [];
  let picked = false;
  await browser
    .waitUntil(
      async () => {
        for (const item of await $$('.el-select-dropdown__item, [role="option"]')) {
          if (!(await item.isDisplayed())) continue;
          const label = (await item.getText()).trim();
          seen.push(label);
          if (label === value || labelPattern?.test(label)) {
            await item.click();
            picked = true;
            return true;
          }
        }
        return false;
      },
      { timeout: 5000, interval: 250 },
    )
    .catch(() => {});
  if (!picked) {
    await browser.keys(Key.Escape);
    throw new Error(
      `${id}: no visible option "${value}" (labels seen: ${[...new Set(seen)].join(", ")})`,
    );
  }
}

// --- language -------------------------------------------------------------------------------

const HAS_CJK = /[\u3400-\u9fff]/;
export const isChinese = (text) => HAS_CJK.test(text);
export const isEnglish = (text) => /[A-Za-z]/.test(text) && !HAS_CJK.test(text);

// textContent, not getText(): a collapsed sidebar keeps the label only for screen readers.
export const navLabel = async () =>
  ((await byTestId("nav-templates").getProperty("textContent")) ?? "").trim();

/** Toggles the language once through lang-switch (a button, switch, or select). */
export async function toggleLanguage() {
  const sw = await byTestId("lang-switch");
  if (!(await sw.isDisplayed())) await navigate("nav-settings");
  await sw.waitForDisplayed({
    timeoutMsg: "lang-switch is not displayed (also looked on the settings page)",
  });
  const chinese = isChinese(await navLabel());
  const tag = await sw.getTagName();
  const cls = (await sw.getAttribute("class")) ?? "";
  if (tag === "select" || cls.includes("el-select")) {
    await chooseOption(
      "lang-switch",
      chinese ? "en" : "zh-CN",
      chinese ? /english|^en/i : /中文|^zh/i,
    );
  } else {
    await sw.click();
  }
}

/** Switches the UI to "en" or "zh" unless it already is; returns the nav-templates label. */
export async function useLanguage(lang) {
  const wanted = lang === "en" ? isEnglish : isChinese;
  if (wanted(await navLabel())) return navLabel();
  await toggleLanguage();
  await browser.waitUntil(async () => wanted(await navLabel()), {
    timeout: 5000,
    timeoutMsg: `nav-templates label did not switch to ${lang} (still "${await navLabel()}")`,
  });
  return navLabel();
}

// --- runs -------------------------------------------------------------------------------------

export const runStatus = async () => byTestId("run-status").getAttribute("data-status");

export async function waitForRunStatus(status, timeout = 30000) {
  await byTestId("run-status").waitForExist({ timeoutMsg: "run-status is not on the page" });
  await browser.waitUntil(async () => (await runStatus()) === status, {
    timeout,
    interval: 250,
    timeoutMsg: `run-status data-status did not become "${status}" within ${timeout} ms`,
  });
}

/** Texts (the whole rendered line, which may include its number) and seq numbers of the rendered log lines. */
export async function logLines() {
  return browser.execute(
    (sel) => {
      return [...document.querySelectorAll(sel)].map((el) => ({
        seq: Number(el.getAttribute("data-seq")),
        text: el.textContent ?? "",
      }));
    },
    `${testid("run-log")} ${testid("log-line")}`,
  );
}

export async function waitForLogLine(predicate, timeout, what) {
  await browser.waitUntil(async () => (await logLines()).some((l) => predicate(l.text)), {
    timeout,
    interval: 250,
    timeoutMsg: `no log-line ${what} within ${timeout} ms`,
  });
}

/** Starts a template from the Templates page; answers the run form when it appears. */
export async function startFromTemplateList(name, params = {}) {
  await navigate("nav-templates", `template-row-${name}`);
  await byTestId(`template-run-${name}`).click();
  const dialog = await byTestId("run-form-dialog");
  const hasParams = Object.keys(params).length > 0;
  const shown = await dialog.waitForDisplayed({ timeout: hasParams ? 15000 : 3000 }).then(
    () => true,
    () => false,
  );
  if (hasParams && !shown) throw new Error(`template-run-${name} did not open run-form-dialog`);
  for (const [k, v] of Object.entries(params)) await typeInto(`run-param-${k}`, v);
  if (shown) await byTestId("run-form-submit").click();
  await byTestId("run-log").waitForDisplayed({
    timeout: 15000,
    timeoutMsg: "run-log not displayed after starting the run (expected the run view to open)",
  });
}

export const RUN_LIST_ALL = { template: null, status: null, limit: 200, offset: 0 };
export const listRuns = async (filter = {}) =>
  (await invoke("run_list", { filter: { ...RUN_LIST_ALL, ...filter } })).runs;
