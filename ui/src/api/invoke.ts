// The one door to the backend: every command goes through `call`, which rejects with an ApiError.
// Two transports behind it, chosen at start: Tauri IPC in the desktop app, and HTTP + SSE to the
// same origin when `scicd serve` serves the page to a browser (`useHttpTransport`, from main.ts).
// With neither (a test, or a page opened from a file) it rejects at once with code `no_backend`.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { NO_BACKEND, toApiError } from "./errors";
import type { HttpClient } from "./http/client";

let http: HttpClient | null = null;

/** True inside the desktop app (Tauri IPC). */
export function isDesktop(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Sends every later call over HTTP with `client` (unless the page turns out to be in Tauri). */
export function useHttpTransport(client: HttpClient | null): void {
  http = client;
}

/** The HTTP client when the page runs in a browser against `scicd serve`, else null. */
export function httpClient(): HttpClient | null {
  return isDesktop() ? null : http;
}

/** True in a browser served by `scicd serve`: sign-in, users and tokens exist there. */
export function isBrowser(): boolean {
  return httpClient() !== null;
}

/** True when calls can reach a backend, by either transport. */
export function hasBackend(): boolean {
  return isDesktop() || http !== null;
}

export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  if (isDesktop()) {
    try {
      return await invoke<T>(command, args);
    } catch (error) {
      throw toApiError(error);
    }
  }
  if (http) return http.call<T>(command, args as Record<string, unknown> | undefined);
  throw {
    code: NO_BACKEND,
    message: "The simple-cicd backend is not available: open this page in the desktop app.",
    fields: [],
  };
}
