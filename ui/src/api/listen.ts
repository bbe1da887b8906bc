// App-wide events by name, from either transport: Tauri events in the desktop app, the server's
// `GET /api/v1/events` stream (same names, same payloads) in a browser. One stream serves every
// listener of the page; signing out closes it.
import { listen as tauriListen } from "@tauri-apps/api/event";
import { httpClient, isDesktop } from "./invoke";
import { openStream, type Stream } from "./http/stream";

let appStream: Stream | null = null;

/** Calls `handler` with each payload of event `name`; resolves to the unsubscribe. Never rejects. */
export async function listenEvent<T>(
  name: string,
  handler: (payload: T) => void,
): Promise<() => void> {
  if (isDesktop()) {
    try {
      return await tauriListen<T>(name, (event) => handler(event.payload));
    } catch {
      return () => {};
    }
  }
  const client = httpClient();
  if (!client) return () => {};
  appStream ??= openStream(client, { path: () => "/api/v1/events" });
  return appStream.on(name, (data) => handler(data as T));
}

/** Closes the browser's event stream (on sign-out); the next listener opens it again. */
export function closeEventStream(): void {
  appStream?.close();
  appStream = null;
}
