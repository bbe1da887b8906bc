// WebdriverIO configuration for the end-to-end tests of the real simple-cicd desktop app.
//
// tauri-driver (cargo install tauri-driver --version ^2) is spawned for each session and wraps
// WebKitWebDriver, which starts the app binary. Run it inside a display and a D-Bus session:
// scripts/test.sh --only e2e does all of that (Xvfb, dbus-run-session, gnome-keyring, dunst).
//
// Environment:
//   TAURI_APP_BIN         app binary (default: $CARGO_TARGET_DIR or <repo>/target, then debug/simple-cicd)
//   TAURI_APP_ARGS        extra arguments for the app, space-separated (e.g. "--automation" for MiniBrowser)
//   TAURI_DRIVER          tauri-driver binary (default: ~/.cargo/bin/tauri-driver)
//   SIMPLE_CICD_DATA_DIR  the app's data dir, shared by all specs (default: a fresh temp dir)
//   E2E_ARTIFACTS_DIR     where screenshots/page sources of failed tests and driver logs go (default: temp dir)
//   E2E_DRIVER_PORT       tauri-driver port (default: a free port; the native driver uses the next one)
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { appBinary, sessionAppPids, stop, waitForExit } from "./support/appProcesses.js";

const applicationArgs = (process.env.TAURI_APP_ARGS ?? "").split(" ").filter(Boolean);
const tauriDriverBin =
  process.env.TAURI_DRIVER ?? path.join(os.homedir(), ".cargo", "bin", "tauri-driver");

// The launcher loads this file first and fixes these values in process.env; the workers it forks
// inherit them, so every spec talks to the same data dir and the same driver port.
const tempDir = (prefix) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
process.env.SIMPLE_CICD_DATA_DIR ??= tempDir("simple-cicd-e2e-data-");
process.env.E2E_ARTIFACTS_DIR ??= tempDir("simple-cicd-e2e-artifacts-");
process.env.E2E_DRIVER_PORT ??= String(await freePortPair());
const artifactsDir = process.env.E2E_ARTIFACTS_DIR;
const driverPort = Number(process.env.E2E_DRIVER_PORT);

/** A port p such that p and p+1 (tauri-driver's native WebKitWebDriver port) are both free. */
async function freePortPair() {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = await listenOnce(0);
    if (
      p < 65535 &&
      (await listenOnce(p + 1).then(
        () => true,
        () => false,
      ))
    )
      return p;
  }
  throw new Error("no free pair of TCP ports found on 127.0.0.1");
}

function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => {
      const { port: bound } = srv.address();
      srv.close(() => resolve(bound));
    });
  });
}

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
  throw new Error(`tauri-driver did not listen on 127.0.0.1:${port} within ${ms} ms`);
}

const safeName = (s) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120);

/** Saves a screenshot and the page source of the app window; prints where. */
async function saveFailureEvidence(title) {
  const base = path.join(artifactsDir, safeName(title));
  try {
    await browser.saveScreenshot(`${base}.png`);
    fs.writeFileSync(`${base}.html`, await browser.getPageSource());
    console.log(`[e2e] failure screenshot: ${base}.png (page source: ${base}.html)`);
  } catch (e) {
    console.log(`[e2e] could not save a failure screenshot: ${e.message}`);
  }
}

let tauriDriver;
let stoppingDriver = false;

export const config = {
  runner: "local",
  autoXvfb: false, // the caller provides DISPLAY (scripts/test.sh starts Xvfb)
  hostname: "127.0.0.1",
  port: driverPort,
  specs: ["./specs/**/*.e2e.js"], // numbered: later specs reuse runs made by earlier ones when present
  maxInstances: 1,
  capabilities: [
    { maxInstances: 1, "tauri:options": { application: appBinary, args: applicationArgs } },
  ],
  logLevel: "warn",
  bail: 0,
  waitforTimeout: 15000,
  connectionRetryTimeout: 120000,
  connectionRetryCount: 1,
  framework: "mocha",
  reporters: ["spec"],
  mochaOpts: { ui: "bdd", timeout: 180000 },

  onPrepare() {
    for (const [what, file] of [
      ["desktop app binary (TAURI_APP_BIN)", appBinary],
      ["tauri-driver (TAURI_DRIVER)", tauriDriverBin],
    ]) {
      if (!fs.existsSync(file)) {
        throw new Error(
          `${what} not found at ${file}: run scripts/bootstrap.sh, then build the app ` +
            "(cd ui && npm run build) && cargo build -p simple-cicd",
        );
      }
    }
    if (!process.env.DISPLAY)
      throw new Error("DISPLAY is not set: start Xvfb (scripts/test.sh --only e2e does)");
    console.log(`[e2e] app: ${appBinary}`);
    console.log(`[e2e] data dir: ${process.env.SIMPLE_CICD_DATA_DIR}`);
    console.log(`[e2e] artifacts (failure screenshots, driver logs): ${artifactsDir}`);
  },

  async beforeSession(_config, _caps, specs) {
    const spec = path.basename(specs?.[0] ?? "session");
    // An app left over by an earlier spec would take this session's launch over (single instance).
    const leftovers = await stop(sessionAppPids(appBinary));
    if (leftovers.length)
      console.warn(
        `[e2e] stopped an app left running by an earlier spec (pid ${leftovers.join(", ")})`,
      );
    const log = fs.openSync(path.join(artifactsDir, `tauri-driver-${safeName(spec)}.log`), "a");
    tauriDriver = spawn(
      tauriDriverBin,
      ["--port", String(driverPort), "--native-port", String(driverPort + 1)],
      {
        stdio: ["ignore", log, log],
      },
    );
    stoppingDriver = false;
    // afterSession is skipped when the session could not be created: stop the driver with the worker.
    process.once("exit", () => {
      stoppingDriver = true;
      tauriDriver?.kill();
    });
    tauriDriver.on("error", (e) => {
      console.error(`[e2e] tauri-driver could not start: ${e.message}`);
      process.exit(1);
    });
    tauriDriver.on("exit", (code, signal) => {
      if (!stoppingDriver) {
        console.error(
          `[e2e] tauri-driver exited unexpectedly (code ${code}, signal ${signal}); log in ${artifactsDir}`,
        );
        process.exit(1);
      }
    });
    await waitForPort(driverPort, 15000);
  },

  async afterTest(test, _context, { passed }) {
    if (!passed) await saveFailureEvidence(`${test.parent} -- ${test.title}`);
  },

  async afterHook(test, _context, { passed }) {
    if (!passed) await saveFailureEvidence(`${test.parent} -- ${test.title}`);
  },

  async afterSession() {
    // WebKitWebDriver ends the app with the session: give it the time before its driver goes.
    const running = await waitForExit(sessionAppPids(appBinary), 10000);
    stoppingDriver = true;
    tauriDriver?.kill();
    const stopped = await stop(running);
    if (stopped.length)
      console.warn(`[e2e] the app outlived its session by 10 s: stopped pid ${stopped.join(", ")}`);
  },

  onComplete(exitCode) {
    console.log(
      `[e2e] artifacts: ${artifactsDir}${exitCode ? " (see failure screenshots there)" : ""}`,
    );
  },
};
