// The browser's event streams against a fake EventSource: the token rides in the URL, events reach
// their handlers parsed, and a stream the server closed (an expired token) opens again with a
// fresh token and from where it stopped.
import { afterEach, describe, expect, it, vi } from "vitest";
import { openStream } from "./stream";

class FakeSource {
  static CLOSED = 2;
  static all: FakeSource[] = [];
  readyState = 1;
  onerror: (() => void) | null = null;
  listeners = new Map<string, (e: MessageEvent<string>) => void>();
  closed = false;
  constructor(public url: string) {
    FakeSource.all.push(this);
  }
  addEventListener(name: string, fn: (e: MessageEvent<string>) => void): void {
    this.listeners.set(name, fn);
  }
  close(): void {
    this.closed = true;
  }
  emit(name: string, data: unknown): void {
    this.listeners.get(name)?.({ data: JSON.stringify(data) } as MessageEvent<string>);
  }
  serverCloses(): void {
    this.readyState = FakeSource.CLOSED;
    this.onerror?.();
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  FakeSource.all = [];
  vi.useRealTimers();
});

describe("event stream", () => {
  it("sends the access token in the URL and hands parsed events to their handlers", async () => {
    const got = vi.fn();
    openStream(
      { freshToken: async () => "tok en" },
      {
        path: () => "/api/v1/runs/3/events?fromSeq=5",
        events: { lines: got },
        EventSource: FakeSource as unknown as typeof EventSource,
      },
    );
    await flush();
    const [source] = FakeSource.all;
    expect(source!.url).toBe("/api/v1/runs/3/events?fromSeq=5&access_token=tok%20en");
    source!.emit("lines", { type: "lines", data: [{ seq: 5 }] });
    expect(got).toHaveBeenCalledWith({ type: "lines", data: [{ seq: 5 }] });
  });

  it("opens again with a fresh token, from the path of now, when the server closes it", async () => {
    vi.useFakeTimers();
    let n = 0;
    let from = 1;
    const stream = openStream(
      { freshToken: async () => `t${++n}` },
      {
        path: () => `/api/v1/runs/3/events?fromSeq=${from}`,
        EventSource: FakeSource as unknown as typeof EventSource,
      },
    );
    await vi.advanceTimersByTimeAsync(0);
    from = 42;
    FakeSource.all[0]!.serverCloses();
    await vi.advanceTimersByTimeAsync(600);
    expect(FakeSource.all.map((s) => s.url)).toEqual([
      "/api/v1/runs/3/events?fromSeq=1&access_token=t1",
      "/api/v1/runs/3/events?fromSeq=42&access_token=t2",
    ]);
    stream.close();
    expect(FakeSource.all[1]!.closed).toBe(true);
    FakeSource.all[1]!.serverCloses();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(FakeSource.all).toHaveLength(2);
  });

  it("adds a handler to an open stream and removes it again", async () => {
    const stream = openStream(
      { freshToken: async () => "t" },
      { path: () => "/api/v1/events", EventSource: FakeSource as unknown as typeof EventSource },
    );
    await flush();
    const got = vi.fn();
    const off = stream.on("run://status", got);
    FakeSource.all[0]!.emit("run://status", { id: 1 });
    off();
    FakeSource.all[0]!.emit("run://status", { id: 2 });
    expect(got.mock.calls).toEqual([[{ id: 1 }]]);
  });
});
