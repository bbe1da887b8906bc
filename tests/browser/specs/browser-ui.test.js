// The browser UI against a real `scicd serve`: sign in (a wrong password refused), create a shell
// template in the editor and run it while its log streams in, run a pipeline and approve its
// approval step, find all of it in the audit log, manage users and tokens, a viewer who cannot run
// (the button disabled with the reason, and the API refusing), and sign out. Screenshots of each
// page in English and Chinese go to the artifacts directory (E2E_ARTIFACTS_DIR).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { launch } from "../support/browser.js";
import { startServer, USERS } from "../support/server.js";
import {
  apiClient,
  field,
  runFromList,
  signIn,
  signOut,
  tid,
  waitForLog,
  waitForStatus,
} from "../support/ui.js";

const artifacts =
  process.env.E2E_ARTIFACTS_DIR ??
  fs.mkdtempSync(path.join(os.tmpdir(), "scicd-browser-artifacts-"));
fs.mkdirSync(artifacts, { recursive: true });

const SHELL = "browser-ticks";
const SCRIPT = 'for i in 1 2 3 4 5 6; do echo "tick $i"; sleep 1; done';
const PIPELINE = "browser-release";
const PIPELINE_YAML = `kind: pipeline
name: ${PIPELINE}
description: builds, asks, ships
params: []
steps:
  - name: build
    kind: shell
    script: echo "built it"
  - name: approve
    needs: [build]
    kind: approval
    message: "Ship it?"
  - name: ship
    needs: [approve]
    kind: shell
    script: echo "shipped by $BY"
    env: { BY: "\${steps.approve.outputs.approver}" }
`;

let server;
let apiAs;
let browser;
let page;
let failed = false;

/** A screenshot once toasts are gone and transitions have ended. */
async function shot(name) {
  await page.evaluate(() => document.querySelectorAll(".el-message").forEach((m) => m.remove()));
  await page.waitForTimeout(400);
  await browser.shot(name);
}

/** A screenshot in English and in Chinese (the language switch and back). */
async function shotBoth(name) {
  await shot(`${name}-en`);
  await page.locator(tid("lang-switch")).click();
  await shot(`${name}-zh-CN`);
  await page.locator(tid("lang-switch")).click();
}

describe("the browser UI of scicd serve", () => {
  before(async () => {
    server = await startServer({ artifacts });
    server.cli(["template", "apply", "-f", "-"], PIPELINE_YAML);
    apiAs = apiClient(server.api);
    browser = await launch({ artifacts });
    page = browser.page;
    page.setDefaultTimeout(15_000);
    console.log(`# artifacts in ${artifacts}; UI at ${server.url}`);
  });

  after(async () => {
    if (failed && browser) await browser.shot("failure").catch(() => {});
    await browser?.close();
    await server?.stop(failed);
  });

  const step = (name, fn) =>
    it(name, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        throw e;
      }
    });

  step("sends a visitor without a session to the sign-in page", async () => {
    await page.goto(`${server.url}/#/templates`);
    await page.locator(tid("signin")).waitFor();
    assert.match(
      page.url(),
      /#\/signin\?next=\/templates$/,
      "the page wanted is kept for after the sign-in",
    );
    await shotBoth("01-signin");
  });

  step("refuses a wrong password with the reason", async () => {
    await page.locator(field("signin-name")).fill(USERS.admin.name);
    await page.locator(field("signin-password")).fill("not the password");
    await page.locator(tid("signin-submit")).click();
    const error = page.locator(tid("signin-error"));
    await error.waitFor();
    assert.match(await error.textContent(), /name or the password is wrong/);
  });

  step("signs the admin in, with who and which role in the user menu", async () => {
    await signIn(page, server.url, USERS.admin);
    assert.equal(await page.locator(tid("user-menu-role")).textContent(), "Admin");
    await page.locator(tid("nav-users")).waitFor();
  });

  step("an invalid template field shows the engine's error before saving", async () => {
    await page.locator(tid("nav-templates")).click();
    await page.locator(tid("templates-new")).first().click();
    // Letters that are not ASCII: a name the engine refuses (the UI keeps no copy of the rule).
    const checked = page.waitForResponse(
      (r) =>
        r.url().endsWith("/api/v1/validate/template") &&
        r.request().postDataJSON()?.spec?.name === "构建 web",
    );
    await page.locator(field("editor-name")).fill("构建 web");
    const answer = await (await checked).json();
    assert.ok(
      answer.some((e) => e.path === "name" && e.code === "invalid"),
      `the engine finds the name invalid: ${JSON.stringify(answer)}`,
    );
    const error = page.locator(tid("field-error-name"));
    await error.waitFor();
    assert.match(await error.textContent(), /letters, digits/, "shown on the field, in English");
    await page.locator(tid("lang-switch")).click();
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes("字母"),
      tid("field-error-name"),
    );
    await shot("02-editor-invalid-zh-CN");
    await page.locator(tid("lang-switch")).click();
    await shot("02-editor-invalid-en");
    const list = await apiAs(USERS.admin, "GET", "/api/v1/templates");
    assert.deepEqual(
      list.body.map((t) => t.name),
      [PIPELINE],
      "checking saved nothing",
    );
    await page.locator(field("editor-name")).fill("");
  });

  step("creates a shell template in the editor", async () => {
    await page.locator(tid("nav-templates")).click();
    await page.locator(tid("templates-new")).first().click();
    await page.locator(field("editor-name")).fill(SHELL);
    const editor = page.locator(`${tid("editor-script")} .cm-content`);
    await editor.click();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.type(SCRIPT);
    await page.locator(tid("editor-save")).click();
    const until = Date.now() + 15_000;
    const toasts = new Set();
    for (;;) {
      for (const m of await page.locator(".el-message").allTextContents()) toasts.add(m);
      const got = await apiAs(USERS.admin, "GET", `/api/v1/templates/${SHELL}`);
      if (got.status === 200) break;
      if (Date.now() > until)
        throw new Error(
          `editor-save did not create ${SHELL}; messages: ${JSON.stringify([...toasts])}`,
        );
      await page.waitForTimeout(300);
    }
    await page.locator(tid("nav-templates")).click();
    await page.locator(tid(`template-run-${SHELL}`)).waitFor();
    await shotBoth("02-templates");
  });

  step("runs it and shows its log while it runs", async () => {
    await runFromList(page, SHELL);
    const early = await waitForLog(page, (t) => t.includes("tick 1"), '"tick 1"');
    assert.ok(
      !early.some((t) => t.includes("tick 6")),
      "the first line shows before the last one is written: it streams",
    );
    assert.equal(await page.locator(tid("run-status")).getAttribute("data-status"), "running");
    await shot("03-run-live-en");
    await waitForLog(page, (t) => t.includes("tick 6"), '"tick 6"');
    await waitForStatus(page, "succeeded");
    await shotBoth("03-run");
    // "Download log" is a download of the browser's own here (the desktop writes into Downloads).
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator(tid("log-download")).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${SHELL}-1.log`);
    const text = fs.readFileSync(await download.path(), "utf8");
    assert.match(text, /tick 1\n[^]*tick 6\n/, "the whole log, as plain text");
  });

  step("runs a pipeline and approves its approval step", async () => {
    await runFromList(page, PIPELINE);
    const banner = page.locator(tid("approval-banner"));
    await banner.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent?.includes("Ship it?"),
      tid("approval-message"),
    );
    await page.locator(field("approval-comment")).fill("looks good");
    await page.locator(tid("approval-approve")).click();
    await waitForStatus(page, "succeeded");
    await waitForLog(
      page,
      (t) => t.includes(`shipped by ${USERS.admin.name}`),
      "naming the approver",
    );
  });

  step("creates an API token shown once, lists its last use, and revokes it", async () => {
    await page.locator(tid("nav-tokens")).click();
    await page.locator(tid("token-create")).first().click();
    await page.locator(field("token-name")).fill("deploy-bot");
    await page.locator(tid("token-create-save")).click();
    const value = page.locator(tid("token-value"));
    await value.waitFor();
    assert.match(await value.textContent(), /^scicd_/);
    await shot("05-token-shown-en");
    const secret = (await value.textContent()).trim();
    await page.locator(tid("token-shown-done")).click();
    await page.locator(tid("token-row-deploy-bot")).waitFor();
    assert.equal(
      await page.locator(tid("token-value")).count(),
      0,
      "the value is gone once the dialog closes",
    );
    assert.match(await page.locator(tid("token-last-used-deploy-bot")).textContent(), /Not yet/);

    // A script uses it: the list shows when.
    const asBot = (path) =>
      fetch(`${server.api}${path}`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal((await asBot("/api/v1/me")).status, 200, "the token works");
    await page.reload();
    await page.locator(tid("token-row-deploy-bot")).waitFor();
    assert.doesNotMatch(
      await page.locator(tid("token-last-used-deploy-bot")).textContent(),
      /Not yet/,
    );
    await shotBoth("05-tokens");

    await page.locator(tid("token-revoke-deploy-bot")).click();
    await page.locator(tid("confirm-ok")).click();
    await page.waitForFunction(
      (sel) => /Revoked/.test(document.querySelector(sel)?.textContent ?? ""),
      tid("token-state-deploy-bot"),
    );
    assert.equal((await asBot("/api/v1/me")).status, 401, "a revoked token is refused");
  });

  step(
    "lists the users for the admin, who adds one, disables, sets a password and removes it",
    async () => {
      await page.locator(tid("nav-users")).click();
      await page.locator(tid(`user-row-${USERS.viewer.name}`)).waitFor();
      await page.locator(tid("user-add")).click();
      await page.locator(field("user-add-name")).fill("bob");
      await page.locator(tid("user-add-role")).click();
      await page.locator(".el-select-dropdown__item:visible", { hasText: "Operator" }).click();
      await page.locator(field("user-add-password")).fill("bob-browser-e2e-pw");
      await page.locator(tid("user-add-save")).click();
      await page.locator(tid("user-row-bob")).waitFor();
      const users = await apiAs(USERS.admin, "GET", "/api/v1/users");
      assert.equal(
        users.body.find((u) => u.name === "bob")?.role,
        "operator",
        "added with the role chosen",
      );

      await page.locator(tid("user-toggle-bob")).click();
      await page.waitForFunction(
        (sel) => /Disabled/.test(document.querySelector(sel)?.textContent ?? ""),
        tid("user-status-bob"),
      );
      const refused = await apiAs(
        { name: "bob", password: "bob-browser-e2e-pw" },
        "GET",
        "/api/v1/me",
      );
      assert.equal(refused.status, 401, "a disabled user cannot sign in");
      await page.locator(tid("user-toggle-bob")).click();
      await page.waitForFunction(
        (sel) => /Active/.test(document.querySelector(sel)?.textContent ?? ""),
        tid("user-status-bob"),
      );

      await page.locator(tid("user-passwd-bob")).click();
      await page.locator(field("user-passwd-input")).fill("bob-second-password");
      await page.locator(tid("user-passwd-save")).click();
      await page.locator(tid("user-passwd-dialog")).waitFor({ state: "hidden" });
      const signedIn = await apiAs(
        { name: "bob", password: "bob-second-password" },
        "GET",
        "/api/v1/me",
      );
      assert.equal(signedIn.status, 200, `the new password works: ${JSON.stringify(signedIn)}`);
      await shotBoth("06-users");

      await page.locator(tid("user-remove-bob")).click();
      await page.locator(tid("confirm-ok")).click();
      await page.locator(tid("user-row-bob")).waitFor({ state: "detached" });
    },
  );

  step("leaves the desktop-only settings out, saying so", async () => {
    await page.locator(tid("nav-settings")).click();
    await page.locator(tid("settings-browser-note")).waitFor();
    await shotBoth("09-settings");
  });

  step("shows the sign-in, the runs, the approval and the token in the audit log", async () => {
    await page.locator(tid("nav-audit")).click();
    await page.locator(tid("audit-table")).waitFor();
    const rows = await page.locator(`${tid("audit-table")} tbody tr`).allTextContents();
    const has = (re) => rows.some((r) => re.test(r));
    assert.ok(
      has(new RegExp(`${USERS.admin.name}.*sign_in.*OK`)),
      `a successful sign-in of ${USERS.admin.name}: ${rows.join("\n")}`,
    );
    assert.ok(has(/sign_in.*Not signed in|sign_in.*unauthenticated/i), "the refused sign-in too");
    assert.ok(
      has(new RegExp(`${USERS.admin.name}.*run\\.start.*${SHELL}`)),
      "the shell run's start",
    );
    assert.ok(has(new RegExp(`${USERS.admin.name}.*run\\.approve`)), "the approval");
    assert.ok(has(/token\.create/), "the token");
    assert.ok(has(/token\.revoke/), "its revocation");
    await shotBoth("07-audit");
  });

  step("signs out: the session ends and a reload stays signed out", async () => {
    await signOut(page);
    assert.match(await page.locator(tid("signin-notice")).textContent(), /signed out/);
    await page.reload();
    await page.locator(tid("signin")).waitFor();
    assert.equal(await page.locator(tid("user-menu")).count(), 0);
  });

  step(
    "shows a viewer the Run button disabled with the reason, and the API refuses the run",
    async () => {
      await signIn(page, server.url, USERS.viewer);
      assert.equal(await page.locator(tid("nav-users")).count(), 0, "no Users page for a viewer");
      await page.locator(tid("nav-templates")).click();
      const run = page.locator(tid(`template-run-${SHELL}`));
      await run.waitFor();
      assert.ok(await run.isDisabled(), "a viewer's Run button is disabled");
      const gate = page.locator(`${tid(`template-row-${SHELL}`)} ${tid("denied-action")}`);
      assert.equal(
        await gate.getAttribute("data-denied-reason"),
        "Your role (Viewer) cannot run templates.",
      );
      await gate.hover();
      await page.locator(".el-popper", { hasText: "cannot run templates" }).waitFor();
      await shot("08-viewer-denied-en");
      const refused = await apiAs(USERS.viewer, "POST", "/api/v1/runs", {
        template: SHELL,
        params: {},
      });
      assert.equal(
        refused.status,
        403,
        `the API refuses a viewer's run: ${JSON.stringify(refused)}`,
      );
      assert.equal(refused.body.code, "forbidden");

      await page.locator(tid("nav-secrets")).click();
      assert.ok(
        await page.locator(tid("secrets-add")).isDisabled(),
        "a viewer cannot add a secret",
      );
      await page.locator(tid("nav-settings")).click();
      const settings = page.locator(tid("settings-denied"));
      await settings.waitFor();
      assert.match(await settings.textContent(), /Your role \(Viewer\) cannot change settings/);
      await shotBoth("08-viewer-settings");
      await signOut(page);
    },
  );

  step(
    "ends a session whose refresh token was used twice, and says so on the sign-in page",
    async () => {
      await signIn(page, server.url, USERS.admin);
      // Someone else spends this tab's refresh token (a copy of it): the server revokes the session.
      const stolen = await page.evaluate(async () => {
        const token = sessionStorage.getItem("simple-cicd.refreshToken");
        const r = await fetch("/api/v1/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refreshToken: token }),
        });
        return r.status;
      });
      assert.equal(stolen, 200, "the copy works once");
      // The tab spends it too (a reload has only the refresh token): that is the reuse.
      await page.reload();
      await page.locator(tid("signin")).waitFor();
      const notice = page.locator(tid("signin-notice"));
      await notice.waitFor();
      assert.match(await notice.textContent(), /ended for safety/);
      await shotBoth("10-signin-reused");
    },
  );
});
