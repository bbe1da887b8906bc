// Does the UI hold memory per run? (scripts/bench-ui-heap.sh runs this; no assertions.) A real
// `scicd serve` on a fresh data dir with retention on, the UI open in Chromium and parked on one
// page at a time (a fresh load of each), while runs go back to back through the HTTP API, each
// followed to its end over its event stream. Every `every` runs it forces a garbage collection over
// CDP and samples the JS heap in use, the DOM nodes, the JS event listeners and the resident memory
// of the browser's renderer processes, then prints the growth after warm-up against the warm-up
// itself (the baseline in the same run): what our JavaScript keeps per run grows in both; caches
// that fill once grow only in the warm-up. The JS heap also holds the engine's compiled code,
// which grows as functions get optimised: the heap snapshots (BENCH_SNAPSHOTS) tell the page's
// objects from the engine's (./heap-diff.js).
//
// Environment: BENCH_RUNS (runs per page, default 1000), BENCH_EVERY (default 100), BENCH_WARMUP
// (default 200), BENCH_PACE_MS (a pause after each run, default 0: back to back, the next run
// starts before the page's debounced refresh; 300 lets each run's events refresh the page as a
// person's runs would), BENCH_PAGES (comma-separated hash routes, default
// "/,/runs,/templates/steady-shell,/templates"), BENCH_KEEP (retention.maxRunsPerTemplate, default
// 100), BENCH_UI_DIST (serve this ui/dist in front of the API instead of the UI built into scicd),
// BENCH_SNAPSHOTS (a directory: heap snapshots of each page after warm-up and at the end, compared
// at the end of the page; taking them costs the renderer memory, so read its RSS from a run
// without), SCICD_BIN.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch } from "../support/browser.js";
import { compare } from "./heap-diff.js";
import { startServer, USERS } from "../support/server.js";
import { signIn } from "../support/ui.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const EVERY = Number(process.env.BENCH_EVERY ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const PAGES = (process.env.BENCH_PAGES ?? "/,/runs,/templates/steady-shell,/templates").split(",");
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 0);
const KEEP = Number(process.env.BENCH_KEEP ?? 100);
const SNAPSHOTS = process.env.BENCH_SNAPSHOTS;

const TEMPLATE = `kind: shell
name: steady-shell
description: a true-ish run with some log output
script: |
  for i in 1 2 3 4 5 6 7 8 9 10; do echo "steady line $i of run $SIMPLE_CICD_RUN_ID: some text to store"; done
  echo "to stderr" >&2
  true
`;

function api(base, token) {
  return async (method, route, body) => {
    const r = await fetch(`${base}${route}`, {
      method,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${route} answered ${r.status}: ${await r.text()}`);
    return r.json();
  };
}

/** Reads the run's event stream until its `end` event (as the UI's run view follows a run). */
async function followRun(base, token, id) {
  const r = await fetch(`${base}/api/v1/runs/${id}/events`, {
    headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" },
  });
  if (!r.ok) throw new Error(`the events of run ${id} answered ${r.status}`);
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of r.body) {
    text += decoder.decode(chunk, { stream: true });
    if (/^event: ?end$/m.test(text)) break;
    text = text.slice(text.lastIndexOf("\n") + 1);
  }
  await r.body.cancel().catch(() => {});
}

/** Resident memory of the browser's renderer processes for `profile` (its --user-data-dir), KiB. */
function rendererRss(profile) {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmd.includes("--type=renderer") || !cmd.includes(`--user-data-dir=${profile}`)) continue;
      const rss = /^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(rss?.[1] ?? 0);
    } catch {
      // gone between the listing and the read
    }
  }
  return total;
}

async function sample(cdp, profile, runs, started) {
  // Twice: the first collection can leave garbage that finalisers only release to the second.
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const dom = await cdp.send("Memory.getDOMCounters");
  return {
    runs,
    secs: (Date.now() - started) / 1000,
    heap: heap.usedSize,
    nodes: dom.nodes,
    listeners: dom.jsEventListeners,
    documents: dom.documents,
    rss: rendererRss(profile) * 1024,
  };
}

async function snapshot(cdp, file) {
  const out = fs.createWriteStream(file);
  const onChunk = ({ chunk }) => out.write(chunk);
  cdp.on("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await cdp.send("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
  cdp.off("HeapProfiler.addHeapSnapshotChunk", onChunk);
  await new Promise((r) => out.end(r));
  console.log(`    heap snapshot ${file}`);
}

const row = (s) =>
  `  ${String(s.runs).padStart(6)} ${s.secs.toFixed(0).padStart(7)} ${(s.heap / 1048576)
    .toFixed(2)
    .padStart(9)} ${String(s.nodes).padStart(7)} ${String(s.listeners).padStart(9)} ${String(
    s.documents,
  ).padStart(5)} ${(s.rss / 1048576).toFixed(1).padStart(12)}`;

function summary(rows) {
  const at = (n) => rows.reduce((a, b) => (Math.abs(b.runs - n) < Math.abs(a.runs - n) ? b : a));
  const first = rows[0];
  const warm = at(WARMUP);
  const last = rows[rows.length - 1];
  const steady = last.runs - warm.runs;
  console.log(
    `  growth after warm-up (run ${warm.runs} -> run ${last.runs}, ${steady} runs) against the warm-up itself (run 0 -> run ${warm.runs}, the baseline):`,
  );
  for (const [key, name, unit, scale, digits] of [
    ["heap", "JS heap used", "MiB", 1 / 1048576, 3],
    ["nodes", "DOM nodes", "", 1, 0],
    ["listeners", "JS listeners", "", 1, 0],
    ["rss", "renderer RSS", "MiB", 1 / 1048576, 2],
  ]) {
    const grown = (last[key] - warm[key]) * scale;
    const base = (warm[key] - first[key]) * scale;
    const per100 = steady ? (grown / steady) * 100 : 0;
    const sign = (v, d) => (v >= 0 ? "+" : "") + v.toFixed(d);
    console.log(
      `    ${name.padEnd(13)} ${(warm[key] * scale).toFixed(digits).padStart(9)} -> ${(
        last[key] * scale
      )
        .toFixed(digits)
        .padStart(
          9,
        )} ${unit.padEnd(3)}  steady ${sign(grown, digits).padStart(9)} (${sign(per100, digits)} per 100 runs)   warm-up ${sign(base, digits).padStart(9)}`,
    );
  }
}

async function main() {
  const artifacts = fs.mkdtempSync(path.join(os.tmpdir(), "scicd-ui-heap-"));
  const server = await startServer({
    artifacts,
    uiDist: process.env.BENCH_UI_DIST,
    config: { "retention.maxRunsPerTemplate": KEEP, "retention.maxAuditEntries": 200 },
  });
  let browser;
  let failed = true;
  try {
    const out = server.cli([
      "token",
      "create",
      "ui-heap",
      "--user",
      USERS.admin.name,
      "--scopes",
      "read,run,write",
    ]);
    const token = /scicd_[A-Za-z0-9_-]*/.exec(out)?.[0];
    if (!token) throw new Error(`scicd token create printed no token: ${out}`);
    const call = api(server.api, token);
    await call("POST", "/api/v1/yaml/import", { yaml: TEMPLATE });
    browser = await launch({ artifacts });
    const { page } = browser;
    page.setDefaultTimeout(30_000);
    await signIn(page, server.url, USERS.admin);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.enable");
    console.log(
      `UI heap in Chromium ${(await browser.context.browser()?.version()) ?? ""} against scicd serve` +
        ` (${process.env.BENCH_UI_DIST ? `UI from ${process.env.BENCH_UI_DIST}` : "its built-in UI"}),` +
        ` retention.maxRunsPerTemplate ${KEEP}: ${RUNS} shell runs per page,` +
        ` ${PACE_MS ? `${PACE_MS} ms apart` : "back to back"}, each followed to its end;` +
        ` sampled after a forced GC`,
    );
    let total = 0;
    for (const route of PAGES) {
      // A fresh load of the page: each page starts from its own baseline.
      await page.goto(`${server.url}/#${route}`);
      await page.reload();
      await page.locator('[data-testid="user-menu-name"]').waitFor();
      await page.waitForTimeout(2000);
      console.log(`page #${route}`);
      console.log("    runs    secs  heap MiB   nodes listeners  docs renderer MiB");
      const started = Date.now();
      const rows = [await sample(cdp, browser.profile, 0, started)];
      console.log(row(rows[0]));
      const name = route.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "dashboard";
      const snapshotAt = (n) => path.join(SNAPSHOTS ?? "", `${name}-${n}.heapsnapshot`);
      for (let n = 1; n <= RUNS; n++) {
        const run = await call("POST", "/api/v1/runs", { template: "steady-shell", params: {} });
        await followRun(server.api, token, run.id);
        total++;
        if (PACE_MS) await new Promise((r) => setTimeout(r, PACE_MS));
        if (n % EVERY === 0 || n === RUNS) {
          await page.waitForTimeout(500); // the page has taken the last run's events in
          rows.push(await sample(cdp, browser.profile, n, started));
          console.log(row(rows[rows.length - 1]));
        }
        if (SNAPSHOTS && (n === WARMUP || n === RUNS)) {
          fs.mkdirSync(SNAPSHOTS, { recursive: true });
          await snapshot(cdp, snapshotAt(n));
        }
      }
      summary(rows);
      if (SNAPSHOTS && RUNS > WARMUP) {
        console.log(`  the heap snapshots, run ${WARMUP} -> run ${RUNS}:`);
        for (const line of compare(snapshotAt(WARMUP), snapshotAt(RUNS)))
          console.log(`    ${line}`);
      }
    }
    const last = await call("GET", "/api/v1/runs?limit=1");
    console.log(`${total} runs driven; ${last.total} kept by retention`);
    failed = false;
  } finally {
    await browser?.close();
    await server.stop(failed);
    if (!failed) fs.rmSync(artifacts, { recursive: true, force: true });
    else console.error(`# logs kept in ${artifacts}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
