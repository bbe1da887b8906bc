// The browser's transport against a fake fetch: how commands map to requests, how answers map to
// results and ApiErrors, and the session (refresh once on a 401, one refresh at a time, a refused
// refresh ends the session and says why).
import { describe, expect, it, vi } from "vitest";
import { HttpClient, REFRESH_KEY } from "./client";
import { buildRequest, codeForStatus, errorFromAnswer } from "./request";
import { DESKTOP_ONLY, ROUTES } from "./routeTable";

const user = {
  id: 1,
  name: "ana",
  role: "viewer",
  disabled: false,
  grants: [],
  lockedUntil: null,
  createdAt: "2026-12-01T00:00:00Z",
};

function session(n: number, expiresIn = 900) {
  return { accessToken: `access-${n}`, expiresIn, refreshToken: `refresh-${n}`, user };
}

function json(status: number, body: unknown): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function client(handler: Handler, storage = memoryStorage(), now = () => 0) {
  const fetch = vi.fn((url: string, init: RequestInit) => Promise.resolve(handler(url, init)));
  const c = new HttpClient({
    fetch: fetch as unknown as typeof globalThis.fetch,
    storage,
    routes: ROUTES,
    desktopOnly: DESKTOP_ONLY,
    now,
  });
  return { c, fetch, storage };
}

const auth = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;

describe("command to request", () => {
  it("fills path parameters from the arguments and sends the rest as the JSON body", () => {
    const r = buildRequest("run_answer", ROUTES.run_answer!, {
      id: 7,
      approve: true,
      comment: null,
      step: "prod",
    });
    expect(r).toEqual({
      method: "POST",
      url: "/api/v1/runs/7/answer",
      body: JSON.stringify({ approve: true, comment: null, step: "prod" }),
    });
  });

  it("puts GET arguments in the query, an object as JSON text, leaving out nulls", () => {
    const filter = { actor: "ana", action: null, before: 40, limit: 100 };
    const r = buildRequest("audit_list", ROUTES.audit_list!, { filter });
    const query = new URLSearchParams(r.url.split("?")[1]);
    expect(r.url.startsWith("/api/v1/audit?")).toBe(true);
    expect(JSON.parse(query.get("filter")!)).toEqual(filter);
    const logs = buildRequest("run_logs", ROUTES.run_logs!, { id: 4, fromSeq: 10, limit: null });
    expect(logs.url).toBe("/api/v1/runs/4/logs?fromSeq=10");
  });

  it("escapes a path parameter", () => {
    expect(buildRequest("template_get", ROUTES.template_get!, { name: "a b/c" }).url).toBe(
      "/api/v1/templates/a%20b%2Fc",
    );
  });

  it("sends a JSON body with every POST, PUT and DELETE, `{}` when there is nothing else", () => {
    expect(buildRequest("token_revoke", ROUTES.token_revoke!, { id: 3 })).toEqual({
      method: "DELETE",
      url: "/api/v1/tokens/3",
      body: "{}",
    });
    const update = { name: "bo", role: null, disabled: true };
    expect(buildRequest("user_update", ROUTES.user_update!, update)).toEqual({
      method: "PUT",
      url: "/api/v1/users/bo",
      body: JSON.stringify({ role: null, disabled: true }),
    });
  });

  it("refuses a call whose path parameter is missing", () => {
    expect(() => buildRequest("run_get", ROUTES.run_get!, {})).toThrow();
  });
});

describe("answer to result or ApiError", () => {
  it("keeps the server's ApiError as it is", () => {
    const e = errorFromAnswer(
      429,
      JSON.stringify({ code: "locked", message: "locked", fields: [], params: { until: "x" } }),
    );
    expect(e).toEqual({ code: "locked", message: "locked", fields: [], params: { until: "x" } });
  });

  it("makes an ApiError from the status when the body is not one (a proxy's page)", () => {
    expect(errorFromAnswer(502, "<html>Bad gateway</html>")).toMatchObject({
      code: "internal",
      message: "HTTP 502: <html>Bad gateway</html>",
    });
    expect(codeForStatus(401)).toBe("unauthenticated");
    expect(codeForStatus(403)).toBe("forbidden");
    expect(codeForStatus(404)).toBe("not_found");
    expect(codeForStatus(409)).toBe("conflict");
    expect(codeForStatus(429)).toBe("locked");
  });

  it("answers a desktop-only command with no_backend, without a request", async () => {
    const { c, fetch } = client(() => json(200, null));
    await expect(c.call("tray_menu_model")).rejects.toMatchObject({ code: "no_backend" });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("turns a network failure into an io error", async () => {
    const { c } = client(() => {
      throw new TypeError("Failed to fetch");
    });
    await expect(c.signIn("ana", "pw")).rejects.toMatchObject({ code: "io" });
  });
});

describe("session", () => {
  it("signs in, keeps the refresh token in the tab's storage and sends the access token", async () => {
    const { c, fetch, storage } = client((url, init) => {
      if (url === "/api/v1/auth/signin") return json(200, session(1));
      expect(auth(init)).toBe("Bearer access-1");
      return json(200, [{ name: "hello" }]);
    });
    await c.signIn("ana", "secret");
    expect(storage.map.get(REFRESH_KEY)).toBe("refresh-1");
    await expect(c.call("template_list")).resolves.toEqual([{ name: "hello" }]);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("refreshes once on a 401 and sends the request again with the new token", async () => {
    const seen: string[] = [];
    const { c, storage } = client((url, init) => {
      seen.push(`${url} ${auth(init) ?? ""}`);
      if (url === "/api/v1/auth/signin") return json(200, session(1));
      if (url === "/api/v1/auth/refresh") {
        expect(JSON.parse(String(init.body))).toEqual({ refreshToken: "refresh-1" });
        return json(200, session(2));
      }
      return auth(init) === "Bearer access-2"
        ? json(200, { id: 7 })
        : json(401, { code: "unauthenticated", message: "expired", fields: [], params: {} });
    });
    await c.signIn("ana", "pw");
    await expect(c.call("run_get", { id: 7 })).resolves.toEqual({ id: 7 });
    expect(seen.slice(1)).toEqual([
      "/api/v1/runs/7 Bearer access-1",
      "/api/v1/auth/refresh ",
      "/api/v1/runs/7 Bearer access-2",
    ]);
    expect(storage.map.get(REFRESH_KEY)).toBe("refresh-2");
  });

  it("spends the refresh token once for many requests that meet a 401 together", async () => {
    let refreshes = 0;
    const { c } = client(async (url, init) => {
      if (url === "/api/v1/auth/signin") return json(200, session(1));
      if (url === "/api/v1/auth/refresh") {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        return json(200, session(2));
      }
      return auth(init) === "Bearer access-2"
        ? json(200, [])
        : json(401, { code: "unauthenticated", message: "x" });
    });
    await c.signIn("ana", "pw");
    await Promise.all([
      c.call("template_list"),
      c.call("run_list", { filter: {} }),
      c.call("app_list"),
    ]);
    expect(refreshes).toBe(1);
  });

  it("refreshes ahead of time when the access token is about to expire", async () => {
    let t = 0;
    const urls: string[] = [];
    const { c } = client(
      (url) => {
        urls.push(url);
        if (url === "/api/v1/auth/signin") return json(200, session(1, 60));
        if (url === "/api/v1/auth/refresh") return json(200, session(2, 60));
        return json(200, []);
      },
      memoryStorage(),
      () => t,
    );
    await c.signIn("ana", "pw");
    t = 50_000;
    await c.call("template_list");
    expect(urls).toEqual(["/api/v1/auth/signin", "/api/v1/auth/refresh", "/api/v1/templates"]);
  });

  it("ends the session when the refresh token was already used, and says so", async () => {
    const ended = vi.fn();
    const { c, storage } = client((url) => {
      if (url === "/api/v1/auth/signin") return json(200, session(1));
      if (url === "/api/v1/auth/refresh") {
        return json(401, {
          code: "unauthenticated",
          message:
            "this refresh token was already used, so the session is ended for safety; sign in again",
          fields: [],
          params: {},
        });
      }
      return json(401, {
        code: "unauthenticated",
        message: "the session has ended",
        fields: [],
        params: {},
      });
    });
    c.onSessionEnd(ended);
    await c.signIn("ana", "pw");
    await expect(c.call("template_list")).rejects.toMatchObject({ code: "unauthenticated" });
    expect(ended).toHaveBeenCalledWith(expect.objectContaining({ reason: "reused" }));
    expect(storage.map.has(REFRESH_KEY)).toBe(false);
    expect(c.hasSession()).toBe(false);
  });

  it("calls an expired session expired", async () => {
    const ended = vi.fn();
    const storage = memoryStorage();
    storage.setItem(REFRESH_KEY, "refresh-old");
    const { c } = client(
      () => json(401, { code: "unauthenticated", message: "the session has ended; sign in again" }),
      storage,
    );
    c.onSessionEnd(ended);
    await expect(c.me()).rejects.toMatchObject({ code: "unauthenticated" });
    expect(ended).toHaveBeenCalledWith(expect.objectContaining({ reason: "expired" }));
  });

  it("resumes a tab's session after a reload from the stored refresh token", async () => {
    const storage = memoryStorage();
    storage.setItem(REFRESH_KEY, "refresh-1");
    const { c } = client((url, init) => {
      if (url === "/api/v1/auth/refresh") return json(200, session(2));
      expect(auth(init)).toBe("Bearer access-2");
      return json(200, { actor: "ana", scopes: ["read"] });
    }, storage);
    expect(c.hasSession()).toBe(true);
    await expect(c.me()).resolves.toEqual({ actor: "ana", scopes: ["read"] });
    expect(c.user?.name).toBe("ana");
  });

  it("fetches a file route with the session's token and the server's file name", async () => {
    const { c } = client((url, init) => {
      if (url === "/api/v1/auth/signin") return json(200, session(1));
      expect(url).toBe("/api/v1/runs/7/log");
      expect(auth(init)).toBe("Bearer access-1");
      return new Response("line 1\nline 2\n", {
        status: 200,
        headers: { "Content-Disposition": 'attachment; filename="hello-3.log"' },
      });
    });
    await c.signIn("ana", "pw");
    const { name, blob } = await c.file("run_log_download", { id: 7 });
    expect(name).toBe("hello-3.log");
    expect(await blob.text()).toBe("line 1\nline 2\n");
  });

  it("signs out on the server and forgets both tokens", async () => {
    const urls: string[] = [];
    const { c, storage } = client((url) => {
      urls.push(url);
      return url === "/api/v1/auth/signin" ? json(200, session(1)) : json(204, null);
    });
    await c.signIn("ana", "pw");
    await c.signOut();
    expect(urls).toEqual(["/api/v1/auth/signin", "/api/v1/auth/signout"]);
    expect(storage.map.has(REFRESH_KEY)).toBe(false);
    expect(c.hasSession()).toBe(false);
  });
});
