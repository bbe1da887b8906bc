// How a command and its arguments become an HTTP request, and how an HTTP answer becomes the
// command's result or an ApiError: the pure half of the HTTP transport, tested without a server.
// Path parameters `{x}` take the argument `x`; the other arguments go in the JSON body (POST, PUT,
// DELETE) or the query string (GET), under the camelCase names the UI passes to `invoke`. A GET
// argument that is an object (a filter) is spread into the query, one key per field.
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

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function appendQuery(query: URLSearchParams, key: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) appendQuery(query, key, item);
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) appendQuery(query, k, v);
  } else {
    query.append(key, String(value));
  }
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
    for (const [key, value] of Object.entries(rest)) appendQuery(query, key, value);
    const text = query.toString();
    return { method: "GET", url: text ? `${path}?${text}` : path };
  }
  const hasArgs = Object.keys(rest).length > 0;
  // A POST or PUT always has a body (the server reads JSON); a DELETE only when it says something.
  const body = hasArgs || route.method !== "DELETE" ? JSON.stringify(rest) : undefined;
  return { method: route.method, url: path, body };
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
