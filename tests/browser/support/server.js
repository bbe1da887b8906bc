// A real `scicd serve` on a fresh, seeded data directory: an admin and a viewer (passwords given
// on stdin, as a person would pipe them), secrets in the encrypted file (no keyring on a CI box),
// listening on a free loopback port. Everything it starts is stopped by `stop()`, and the data
// directory removed unless the run failed (KEEP_DATA=1 keeps it anyway).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, "../../..");

export const USERS = {
  admin: { name: "ada", password: "ada-browser-e2e-pw", role: "admin" },
  viewer: { name: "vic", password: "vic-browser-e2e-pw", role: "viewer" },
};

function scicdBin() {
  if (process.env.SCICD_BIN) return process.env.SCICD_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(REPO_ROOT, "target");
  return path.join(target, "debug", "scicd");
}

/**
 * `config` is set with `scicd config set KEY VALUE` before the server starts; `uiDist` (a built
 * ui/dist) is served in front of the API instead of the UI embedded in the binary, to measure a UI
 * change without rebuilding `scicd`.
 */
export async function startServer({ artifacts, config = {}, uiDist }) {
  const bin = scicdBin();
  if (!fs.existsSync(bin))
    throw new Error(`${bin} not found: build it with cargo build -p scicd (or set SCICD_BIN)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "scicd-browser-"));
  const env = {
    ...process.env,
    SIMPLE_CICD_DATA_DIR: dataDir,
    SIMPLE_CICD_SECRETS_KEY: "browser-e2e passphrase, not a secret",
    RUST_LOG: process.env.RUST_LOG ?? "warn",
  };
  const cli = (args, input) => {
    const r = spawnSync(bin, args, { env, input, encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) {
      throw new Error(`scicd ${args.join(" ")} exited ${r.status}: ${r.stderr || r.stdout}`);
    }
    return r.stdout;
  };
  cli(["config", "set", "secrets.backend", "file"]);
  for (const [key, value] of Object.entries(config)) cli(["config", "set", key, String(value)]);
  for (const u of Object.values(USERS))
    cli(["user", "add", u.name, "--role", u.role], `${u.password}\n`);

  const log = fs.openSync(path.join(artifacts, "scicd-serve.log"), "a");
  const child = spawn(bin, ["serve", "--listen", "127.0.0.1:0"], {
    env,
    stdio: ["ignore", "pipe", log],
  });
  const address = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("scicd serve printed no `listening ADDR` within 30 s")),
      30_000,
    );
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(
        new Error(`scicd serve exited ${code} before listening; see ${artifacts}/scicd-serve.log`),
      );
    });
  });
  const api = `http://${address}`;
  const front = await frontDoor(api, uiDist);
  return {
    url: front.url,
    api,
    dataDir,
    cli,
    async stop(failed) {
      await front.close();
      child.kill("SIGTERM");
      await new Promise((r) => {
        if (child.exitCode !== null) return r();
        const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.on("exit", () => {
          clearTimeout(kill);
          r();
        });
      });
      fs.closeSync(log);
      if (!failed && !process.env.KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the browser goes: `scicd serve` itself when it serves the UI at `/`. A server that does
 * not yet (an older build) gets a small stand-in in front of it that serves ui/dist and passes
 * /api through unchanged, streams included; the test says which it used. `uiDist` asks for the
 * stand-in whatever the server serves.
 */
async function frontDoor(api, uiDist) {
  if (!uiDist) {
    const page = await fetch(`${api}/`).catch(() => null);
    const type = page?.headers.get("content-type") ?? "";
    if (page?.ok && type.includes("text/html")) return { url: api, close: async () => {} };
    console.warn(
      `# scicd serve does not serve the UI at / (answered ${page?.status}): serving ui/dist in front of it`,
    );
  }
  const dist = path.resolve(uiDist ?? path.join(REPO_ROOT, "ui", "dist"));
  if (!fs.existsSync(path.join(dist, "index.html")))
    throw new Error(`${dist}/index.html missing: cd ui && npm run build`);
  const target = new URL(api);
  const server = http.createServer((req, res) => {
    if (req.url.startsWith("/api/")) {
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
      return;
    }
    const file = path.join(dist, path.normalize(decodeURIComponent(req.url.split("?")[0])));
    const inside = file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile();
    const chosen = inside ? file : path.join(dist, "index.html");
    const types = {
      ".js": "text/javascript",
      ".css": "text/css",
      ".html": "text/html",
      ".svg": "image/svg+xml",
    };
    res.writeHead(200, {
      "Content-Type": types[path.extname(chosen)] ?? "application/octet-stream",
    });
    fs.createReadStream(chosen).pipe(res);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
