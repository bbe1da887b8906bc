// Screenshots and measurements of the UI against the fake backend, in headless Chromium, with no
// dependency: Chromium's DevTools protocol over Node's WebSocket (Node 20: run with
// --experimental-websocket). Start the fake first: `npm run dev:fake`.
//
//   node --experimental-websocket scripts/shoot.mjs <plan.json> [outDir]
//
// A plan is a list of steps: { "shot": "name", "url": "/?lang=en#/secrets", "wait": "<js expr>",
// "run": "<js to evaluate, may be async>", "pause": ms, "width": 1440, "height": 900 }. Every
// console message of the page that starts with [bench] is printed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const [planFile, outDir = "screenshots"] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
const base = process.env.UI_URL ?? "http://localhost:5173";
const chromium = process.env.CHROMIUM ?? "chromium";
const port = 9300 + Math.floor(Math.random() * 500);
fs.mkdirSync(outDir, { recursive: true });

const profile = fs.mkdtempSync(path.join(os.tmpdir(), "shoot-"));
const browser = spawn(
  chromium,
  [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    `--remote-debugging-port=${port}`,
    `--user-data-dir=${profile}`,
    "about:blank",
  ],
  { stdio: "ignore" },
);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function target() {
  for (let i = 0; i < 100; i++) {
    try {
      const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
      const page = list.find((t) => t.type === "page");
      if (page) return page.webSocketDebuggerUrl;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error("chromium did not start");
}

const ws = new WebSocket(await target());
await new Promise((r) => ws.addEventListener("open", r, { once: true }));
let nextId = 1;
const pending = new Map();
ws.addEventListener("message", (event) => {
  const msg = JSON.parse(event.data);
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg);
    pending.delete(msg.id);
  } else if (msg.method === "Runtime.consoleAPICalled") {
    const text = msg.params.args.map((a) => a.value ?? a.description ?? "").join(" ");
    if (text.startsWith("[bench]")) console.log(text);
  } else if (msg.method === "Runtime.exceptionThrown") {
    console.log("page error:", msg.params.exceptionDetails.exception?.description);
  }
});
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, (msg) =>
      msg.error ? reject(new Error(msg.error.message)) : resolve(msg.result),
    );
    ws.send(JSON.stringify({ id, method, params }));
  });
const evaluate = async (expression) => {
  const r = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? expression);
  return r.result.value;
};

await send("Runtime.enable");
await send("Page.enable");
for (const step of plan) {
  await send("Emulation.setDeviceMetricsOverride", {
    width: step.width ?? 1440,
    height: step.height ?? 900,
    deviceScaleFactor: 1,
    mobile: false,
  });
  if (step.url) {
    await send("Page.navigate", { url: base + step.url });
    await sleep(300);
  }
  if (step.wait) {
    const deadline = Date.now() + (step.timeout ?? 15000);
    while (!(await evaluate(`!!(${step.wait})`).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${step.wait}`);
      await sleep(50);
    }
  }
  if (step.run) {
    const value = await evaluate(`(async () => { ${step.run} })()`);
    if (value !== undefined) console.log(`${step.shot ?? "step"}: ${JSON.stringify(value)}`);
  }
  if (step.pause) await sleep(step.pause);
  if (step.shot) {
    const { data } = await send("Page.captureScreenshot", { format: "png" });
    const file = path.join(outDir, `${step.shot}.png`);
    fs.writeFileSync(file, Buffer.from(data, "base64"));
    console.log(`saved ${file}`);
  }
}
ws.close();
browser.kill();
