import { Key } from "webdriverio";
import {
  byTestId,
  deleteIfPresent,
  field,
  invoke,
  navigate,
  testid,
  typeInto,
  useLanguage,
  waitForApp,
} from "../support/app.js";

const KEY = "runs.maxParallel";
const SECRET = "e2e-token";
const VALUE = "e2e-s3cr3t-value-7d1f0c";

const maxParallel = async () => (await invoke("config_list")).find((s) => s.key === KEY);

/** Replaces what a pre-filled input holds (clearValue alone leaves the app's model as it was). */
async function replaceText(id, text) {
  const input = await field(id);
  await input.click();
  await browser.keys([Key.Ctrl, "a"]);
  await browser.keys(Key.Backspace);
  await input.addValue(text);
  await browser.waitUntil(async () => (await input.getValue()) === text, {
    timeout: 3000,
    timeoutMsg: `${id} holds "${await input.getValue()}" instead of "${text}"`,
  });
}

/** Text of the keyring alert when the page shows one (the keyring is missing or locked). */
async function keyringAlert() {
  const alert = await $(testid("secrets-keyring-error"));
  return (await alert.isExisting()) ? alert.getText() : null;
}

describe("secrets and settings", () => {
  before(async () => {
    await waitForApp();
    await useLanguage("en");
  });

  it("refuses 0 as max parallel runs with an inline error, and saves nothing", async () => {
    const before = await maxParallel();
    await navigate("nav-settings", `settings-${KEY}`);
    await replaceText(`settings-${KEY}`, "0");
    await browser.keys("Enter"); // settings save themselves on Enter or when the field is left
    const error = await byTestId(`field-error-${KEY}`);
    await error.waitForDisplayed({
      timeoutMsg: `no inline error field-error-${KEY} after saving 0`,
    });
    expect(await error.getText()).toMatch(/1\D+256/);
    const after = await maxParallel();
    expect(after.value).toBe(before.value); // the engine refused 0: nothing was saved
    expect(after.isSet).toBe(before.isSet);
  });

  it("saves 3 as max parallel runs", async () => {
    await replaceText(`settings-${KEY}`, "3");
    await browser.keys("Enter");
    await byTestId(`settings-saved-${KEY}`).waitForDisplayed({
      timeoutMsg: `settings-saved-${KEY} did not appear after saving 3`,
    });
    await expect(byTestId(`field-error-${KEY}`)).not.toBeDisplayed();
    const saved = await maxParallel();
    expect(saved.value).toBe(3);
    expect(saved.isSet).toBe(true);
  });

  it("adds a secret on the Secrets page and lists its row, never its value", async () => {
    await deleteIfPresent("secret_delete", SECRET);
    await navigate("nav-secrets", "secrets-add");
    await byTestId("secrets-add").click();
    await typeInto("secret-name", SECRET);
    await typeInto("secret-value", VALUE);
    await byTestId("secret-save").click();
    await browser.waitUntil(
      async () => {
        const alert = await keyringAlert();
        if (alert) throw new Error(`the keyring refused the secret: ${alert}`);
        return $(testid(`secret-row-${SECRET}`)).isDisplayed();
      },
      { timeout: 15000, timeoutMsg: `secret-row-${SECRET} did not appear after secret-save` },
    );
    expect(await byTestId(`secret-row-${SECRET}`).getProperty("textContent")).toContain(SECRET);
    const page = await browser.execute(() => document.documentElement.outerHTML);
    expect(page.includes(VALUE)).toBe(false); // the value is never shown, not even hidden in the DOM
    const listed = await invoke("secret_list");
    expect(listed.map((s) => s.name)).toContain(SECRET);
    expect(JSON.stringify(listed)).not.toContain(VALUE);
  });

  after(async () => {
    await deleteIfPresent("secret_delete", SECRET).catch(() => {});
  });
});
