// Server-Sent Events with the session's access token. EventSource cannot send a header, so the
// token goes in `?access_token=`; when the server closes the stream (the token expired, the server
// restarted), it is opened again with a fresh token, after a pause that grows to 10 s.
import type { HttpClient } from "./client";

export type EventHandler = (data: unknown) => void;

export interface StreamOptions {
  /** The path to open, with its own query if any. */
  path: () => string;
  /** Handlers by event name; more may be added with `on` while it is open. */
  events?: Record<string, EventHandler>;
  base?: string;
  EventSource?: typeof EventSource;
}

export interface Stream {
  on(name: string, handler: EventHandler): () => void;
  close(): void;
}

export function openStream(client: Pick<HttpClient, "freshToken">, opts: StreamOptions): Stream {
  const Source = opts.EventSource ?? globalThis.EventSource;
  const handlers = new Map<string, Set<EventHandler>>();
  let source: EventSource | null = null;
  let closed = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function dispatch(name: string, event: MessageEvent<string>): void {
    delay = 500;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      data = event.data;
    }
    for (const h of handlers.get(name) ?? []) h(data);
  }

  function attach(es: EventSource, name: string): void {
    es.addEventListener(name, (event) => dispatch(name, event as MessageEvent<string>));
  }

  async function open(): Promise<void> {
    timer = null;
    let token: string | null = null;
    try {
      token = await client.freshToken();
    } catch {
      // the server is away: try again later
    }
    if (closed) return;
    if (!token) return retry();
    const path = opts.path();
    const url = `${opts.base ?? ""}${path}${path.includes("?") ? "&" : "?"}access_token=${encodeURIComponent(token)}`;
    const es = new Source(url);
    source = es;
    for (const name of handlers.keys()) attach(es, name);
    es.onerror = () => {
      if (es.readyState === Source.CLOSED && source === es) {
        source = null;
        retry();
      }
    };
  }

  function retry(): void {
    if (closed || timer) return;
    timer = setTimeout(() => void open(), delay);
    delay = Math.min(delay * 2, 10_000);
  }

  const stream: Stream = {
    on(name, handler) {
      if (!handlers.has(name)) {
        handlers.set(name, new Set());
        if (source) attach(source, name);
      }
      handlers.get(name)!.add(handler);
      return () => handlers.get(name)?.delete(handler);
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      source?.close();
      source = null;
    },
  };
  for (const [name, handler] of Object.entries(opts.events ?? {})) stream.on(name, handler);
  void open();
  return stream;
}
