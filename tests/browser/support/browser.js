// Debian's Chromium driven by playwright-core (never `playwright install`: no browser download),
// with the flags that keep it quiet on a closed network, a fresh profile, and screenshots into the
// artifacts directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

export async function launch({ artifacts }) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: apt-get install chromium (scripts/bootstrap.sh does)`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "scicd-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLog = fs.createWriteStream(path.join(artifacts, "browser-console.log"));
  const watch = (p) => {
    p.on("console", (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    p.on("pageerror", (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
  };
  watch(page);
  context.on("page", watch);
  return {
    context,
    page,
    profile,
    async shot(name) {
      await page.screenshot({ path: path.join(artifacts, `${name}.png`) });
    },
    async close() {
      await context.close();
      consoleLog.end();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
