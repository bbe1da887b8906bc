// How a command and its arguments become an HTTP request, and how an HTTP answer becomes the
// command's result or an ApiError: the pure half of the HTTP transport, tested without a server.
// The rules are the server's (ui/src/bindings/routes.ts): path parameters `{x}` take the argument
// `x`; the other arguments go in the JSON body (POST, PUT, DELETE; `{}` when there are none) or the
// query string (GET; nulls left out, an object or a list as JSON text), under the camelCase names
// the UI passes to `invoke`.
import type { ApiError } from "@/bindings/ApiError";
import type { ErrorCode } from "@/bindings/ErrorCode";
import { NO_BACKEND, toApiError } from "../errors";
import type { RouteSpec } from "./routeTable";

export interface HttpRequest {
  method: string;
  /** Path and query, relative to the origin. */
  url: string;
  body?: string;
}

export type Args = Record<string, unknown>;

function queryValue(value: unknown): string {
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The request for `route` with `args`; an argument a path parameter names must be present. */
export function buildRequest(command: string, route: RouteSpec, args: Args = {}): HttpRequest {
  const rest: Args = { ...args };
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = rest[name];
    if (value === null || value === undefined) {
      throw apiError(
        "invalid",
        `${command}: the argument ${name} is missing (it is part of the path)`,
      );
    }
    delete rest[name];
    return encodeURIComponent(String(value));
  });
  if (route.method === "GET") {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) {
      if (value !== null && value !== undefined) query.append(key, queryValue(value));
    }
    const text = query.toString();
    return { method: "GET", url: text ? `${path}?${text}` : path };
  }
  return { method: route.method, url: path, body: JSON.stringify(rest) };
}

export function apiError(code: ErrorCode, message: string): ApiError {
  return { code, message, fields: [], params: {} };
}

/** The code an HTTP status stands for, when the answer has no ApiError body (a proxy's page). */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400) return "invalid";
  if (status === 401) return "unauthenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "too_large";
  if (status === 429) return "locked";
  return "internal";
}

/** The ApiError of a failed answer: its JSON body when it is one, else one made from the status. */
export function errorFromAnswer(status: number, text: string): ApiError {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === "object" && body !== null && "code" in body) {
      const error = toApiError(body);
      if (!("params" in body)) error.params = {};
      return error;
    }
  } catch {
    // not JSON: fall through
  }
  const snippet = text.trim().slice(0, 200);
  return apiError(codeForStatus(status), `HTTP ${status}${snippet ? `: ${snippet}` : ""}`);
}

/** The answer of a command only the desktop app has. */
export function desktopOnly(command: string): ApiError {
  return apiError(NO_BACKEND, `${command} is only available in the desktop app.`);
}
