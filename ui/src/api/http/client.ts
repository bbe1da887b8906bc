// The HTTP transport of `call` in a browser: the session (sign-in, refresh, sign-out) and every
// command as a request to the same origin, with the access token as a bearer.
//
// Where the tokens live: the access token (minutes) only in memory, so nothing long-lived sits in
// a readable place; the refresh token in sessionStorage, so a reload of the tab keeps the user
// signed in, while a new tab or a restarted browser asks again. sessionStorage is per tab, which
// also means no two tabs ever spend the same refresh token (a reuse would end the session for
// safety). It is readable by script on this origin, as any token the UI sends as a header must be;
// the server offers no cookie session, and the UI loads no third-party script.
//
// A 401 is answered by one refresh (shared by every request waiting on it: two refreshes with one
// token would look like a stolen token) and the request is sent again; when the refresh fails too,
// the session is over and `onSessionEnd` hears why.
import type { ApiError } from "@/bindings/ApiError";
import type { Scope } from "@/bindings/Scope";
import type { Session } from "@/bindings/Session";
import type { User } from "@/bindings/User";
import { apiError, buildRequest, desktopOnly, errorFromAnswer, type Args } from "./request";
import type { RouteSpec } from "./routeTable";

export const REFRESH_KEY = "simple-cicd.refreshToken";

/** Why a session ended without the user signing out. */
export type SessionEndReason = "expired" | "reused";

export interface SessionEnd {
  reason: SessionEndReason;
  /** The server's words. */
  message: string;
}

export interface Me {
  actor: string;
  scopes: Scope[];
}

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface HttpClientOptions {
  fetch: typeof fetch;
  storage: StorageLike;
  routes: Readonly<Record<string, RouteSpec>>;
  desktopOnly: readonly string[];
  /** Prepended to every path; empty for the page's own origin. */
  base?: string;
  now?: () => number;
}

/** Refresh this long before the access token expires, so a request rarely meets a 401. */
const EARLY_MS = 20_000;

export class HttpClient {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<boolean> | null = null;
  private endListeners = new Set<(end: SessionEnd) => void>();
  user: User | null = null;

  constructor(private readonly opts: HttpClientOptions) {}

  private get now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** True while a refresh token is kept (the tab has a session, maybe with an expired access token). */
  hasSession(): boolean {
    return this.accessToken !== null || this.opts.storage.getItem(REFRESH_KEY) !== null;
  }

  /** Calls `listener` when the session ends by itself (refresh refused); returns the unsubscribe. */
  onSessionEnd(listener: (end: SessionEnd) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  private adopt(session: Session): void {
    this.accessToken = session.accessToken;
    this.expiresAt = this.now + session.expiresIn * 1000;
    this.user = session.user;
    this.opts.storage.setItem(REFRESH_KEY, session.refreshToken);
  }

  private forget(): void {
    this.accessToken = null;
    this.expiresAt = 0;
    this.user = null;
    this.opts.storage.removeItem(REFRESH_KEY);
  }

  private async send(
    request: { method: string; url: string; body?: string },
    token: string | null,
  ) {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (request.body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await this.opts.fetch(`${this.opts.base ?? ""}${request.url}`, {
        method: request.method,
        headers,
        body: request.body,
      });
    } catch (e) {
      throw apiError("io", `The simple-cicd server cannot be reached: ${String(e)}`);
    }
    return response;
  }

  private static async result<T>(response: Response): Promise<T> {
    const text = await response.text();
    if (!response.ok) throw errorFromAnswer(response.status, text);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Signs in; the session is kept for the next calls. */
  async signIn(name: string, password: string): Promise<User> {
    const route = this.route("sign_in");
    const response = await this.send(buildRequest("sign_in", route, { name, password }), null);
    const session = await HttpClient.result<Session>(response);
    this.adopt(session);
    return session.user;
  }

  /** Trades the refresh token for a new pair, once at a time; false when the session is over. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const refreshToken = this.opts.storage.getItem(REFRESH_KEY);
    if (!refreshToken) return false;
    const route = this.route("refresh");
    const response = await this.send(buildRequest("refresh", route, { refreshToken }), null);
    try {
      this.adopt(await HttpClient.result<Session>(response));
      return true;
    } catch (e) {
      const error = e as ApiError;
      if (error.code !== "unauthenticated") throw error;
      this.forget();
      // The server says so in words only; "already used" is its reuse answer (the family is revoked).
      const reason: SessionEndReason = /already used/i.test(error.message) ? "reused" : "expired";
      for (const listener of this.endListeners) listener({ reason, message: error.message });
      return false;
    }
  }

  /** Ends the session on the server (best effort) and here. */
  async signOut(): Promise<void> {
    const token = this.accessToken;
    try {
      if (token) await this.send(buildRequest("sign_out", this.route("sign_out")), token);
    } finally {
      this.forget();
    }
  }

  /** An access token good for a while (for EventSource URLs, which cannot carry a header). */
  async freshToken(): Promise<string | null> {
    if (!this.accessToken || this.now >= this.expiresAt - EARLY_MS) await this.refresh();
    return this.accessToken;
  }

  private route(command: string): RouteSpec {
    if (this.opts.desktopOnly.includes(command)) throw desktopOnly(command);
    const route = this.opts.routes[command];
    if (!route) {
      throw apiError("no_backend", `${command} has no HTTP route yet: use the desktop app for it.`);
    }
    return route;
  }

  /** Sends `command` with the session's token, refreshed once on a 401. */
  private async authorized(command: string, args?: Args): Promise<Response> {
    const route = this.route(command);
    const request = buildRequest(command, route, args);
    if (route.scope === null) return this.send(request, null);
    const token = await this.freshToken();
    let response = await this.send(request, token);
    if (response.status === 401 && (await this.refresh())) {
      response = await this.send(request, this.accessToken);
    }
    return response;
  }

  /** Runs `command` over HTTP: the same result, or the same ApiError, as the desktop command. */
  async call<T>(command: string, args?: Args): Promise<T> {
    return HttpClient.result<T>(await this.authorized(command, args));
  }

  /** A route of kind "file": its content and the file name the server gives it. */
  async file(command: string, args?: Args): Promise<{ name: string; blob: Blob }> {
    const response = await this.authorized(command, args);
    if (!response.ok) throw errorFromAnswer(response.status, await response.text());
    const disposition = response.headers.get("Content-Disposition") ?? "";
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `${command}.txt`;
    return { name, blob: await response.blob() };
  }

  /** Who the server takes this session for, and what it may do. */
  me(): Promise<Me> {
    return this.call<Me>("me");
  }
}
