// Small steps of the browser UI that the specs share, by data-testid.
import assert from "node:assert/strict";

export const tid = (id) => `[data-testid="${id}"]`;

/** The text field of `id`: the element itself (Element Plus puts the test id on the <input>) or one inside. */
export const field = (id) => `:is(input, textarea)${tid(id)}, ${tid(id)} :is(input, textarea)`;

export async function signIn(page, url, user) {
  await page.goto(`${url}/#/signin`);
  await page.locator(field("signin-name")).fill(user.name);
  await page.locator(field("signin-password")).fill(user.password);
  await page.locator(tid("signin-submit")).click();
  await page.locator(tid("user-menu-name")).waitFor({ timeout: 15_000 });
  assert.equal(
    await page.locator(tid("user-menu-name")).textContent(),
    user.name,
    "the user menu names who signed in",
  );
}

export async function signOut(page) {
  await page.locator(tid("user-menu")).click();
  await page.locator(tid("user-menu-signout")).click();
  await page.locator(tid("signin")).waitFor({ timeout: 10_000 });
}

/** Log lines shown on the run page. */
export async function logTexts(page) {
  return page.locator(`${tid("run-log")} ${tid("log-line")}`).allTextContents();
}

export async function waitForLog(page, predicate, what, timeout = 30_000) {
  const until = Date.now() + timeout;
  let seen = [];
  while (Date.now() < until) {
    seen = await logTexts(page);
    if (seen.some(predicate)) return seen;
    await page.waitForTimeout(200);
  }
  throw new Error(
    `no log line ${what} within ${timeout} ms; shown: ${JSON.stringify(seen.slice(-10))}`,
  );
}

export async function waitForStatus(page, status, timeout = 30_000) {
  await page.waitForFunction(
    ([sel, want]) => document.querySelector(sel)?.getAttribute("data-status") === want,
    [tid("run-status"), status],
    { timeout },
  );
}

/** Starts a template from the Templates page; answers the run form if it asks. */
export async function runFromList(page, name) {
  await page.locator(tid("nav-templates")).click();
  await page.locator(tid(`template-run-${name}`)).click();
  const form = page.locator(tid("run-form-submit"));
  const log = page.locator(tid("run-log"));
  await Promise.race([
    form.waitFor({ timeout: 15_000 }).catch(() => {}),
    log.waitFor({ timeout: 15_000 }),
  ]);
  if (await form.isVisible()) await form.click();
  await log.waitFor({ timeout: 15_000 });
}

/** The API as a script would call it: `user` signs in once (cached), then `method path body`. */
export function apiClient(base) {
  const tokens = new Map();
  return async function apiAs(user, method, path, body) {
    const key = `${user.name}\n${user.password}`;
    if (!tokens.has(key)) {
      const r = await fetch(`${base}/api/v1/auth/signin`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: user.name, password: user.password }),
      });
      const s = await r.json().catch(() => null);
      // A refused sign-in is the answer (not cached).
      if (!r.ok) return { status: r.status, body: s };
      tokens.set(key, s.accessToken);
    }
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens.get(key)}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: await r.json().catch(() => null) };
  };
}
