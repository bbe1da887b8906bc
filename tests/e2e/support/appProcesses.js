// The app processes of this e2e session, found in /proc, so that one spec's app never outlives it.
//
// WebKitWebDriver starts the app and is meant to stop it when the session ends, but it is killed
// together with tauri-driver right after the session ends; when that races with its own shutdown
// of the app, the app is left running, orphaned. It then holds the single-instance lock, every
// later launch hands over to it and exits, and every later session hangs. The harness therefore
// waits for the app to end with its session, and stops it by PID when it does not.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The app binary under test: TAURI_APP_BIN, else debug/simple-cicd in the cargo target dir. */
export const appBinary =
  process.env.TAURI_APP_BIN ??
  path.join(
    path.resolve(repoRoot, process.env.CARGO_TARGET_DIR ?? "target"),
    "debug",
    "simple-cicd",
  );

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pids() {
  return fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
}

function exeOf(pid) {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null; // gone, or not ours to read
  }
}

function envOf(pid, name) {
  try {
    const entry = fs
      .readFileSync(`/proc/${pid}/environ`, "latin1")
      .split("\0")
      .find((e) => e.startsWith(`${name}=`));
    return entry?.slice(name.length + 1) ?? null;
  } catch {
    return null;
  }
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie is dead for our purposes: it holds no lock and no window.
    const state = fs.readFileSync(`/proc/${pid}/stat`, "latin1").split(") ")[1]?.[0];
    return state !== "Z";
  } catch {
    return false;
  }
}

/**
 * PIDs of the app binary `application` that belong to this desktop session (same D-Bus session
 * bus): an instance the developer runs in their own session is never touched.
 */
export function sessionAppPids(application) {
  const want = fs.realpathSync(application);
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS ?? null;
  return pids().filter(
    (pid) =>
      pid !== process.pid && exeOf(pid) === want && envOf(pid, "DBUS_SESSION_BUS_ADDRESS") === bus,
  );
}

/** Waits up to `ms` for every PID to end; returns those still alive. */
export async function waitForExit(list, ms) {
  const deadline = Date.now() + ms;
  let left = list.filter(alive);
  while (left.length && Date.now() < deadline) {
    await sleep(100);
    left = left.filter(alive);
  }
  return left;
}

/** SIGTERM, then SIGKILL after `graceMs`, to every PID still alive; returns what was stopped. */
export async function stop(list, graceMs = 5000) {
  const targets = list.filter(alive);
  for (const pid of targets) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  for (const pid of await waitForExit(targets, graceMs)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await waitForExit(targets, 2000);
  return targets;
}
