import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick } from "vue";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { LogLine } from "@/bindings/LogLine";
import type { Run } from "@/bindings/Run";
import { PAGE_SIZE } from "@/lib/logPages";
import { useRunLogs } from "./useRunLogs";

const run = (status: Run["status"], logLines: number): Run => ({
  id: 9,
  number: 2,
  template: "hello",
  templateId: 1,
  status,
  trigger: "manual",
  queuedAt: "2026-11-25T18:40:00Z",
  startedAt: "2026-11-25T18:40:01Z",
  finishedAt: null,
  exitCode: null,
  params: {},
  error: null,
  logLines,
  workdir: null,
  email: null,
  gitRef: null,
  commit: null,
});
const line = (seq: number): LogLine => ({ seq, ts: seq, stream: "stdout", text: `l${seq}` });

interface Backend {
  stored: number;
  logCalls: Array<[number, number]>;
  followFrom: number[];
  channel?: Channel<FollowEvent>;
}

/** A backend with `stored` lines, of which run_get reports `reported`. */
function backend(stored: number, reported = stored, status: Run["status"] = "running"): Backend {
  const b: Backend = { stored, logCalls: [], followFrom: [] };
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === "run_get") return run(status, reported);
    if (cmd === "run_logs") {
      const from = a.fromSeq as number;
      b.logCalls.push([from, a.limit as number]);
      const to = Math.min(b.stored, from + (a.limit as number) - 1);
      return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => line(from + i));
    }
    if (cmd === "run_follow") {
      b.followFrom.push(a.fromSeq as number);
      b.channel = a.onEvent as Channel<FollowEvent>;
    }
    return null;
  });
  return b;
}

function send(b: Backend, index: number, message: FollowEvent): void {
  const internals = (
    window as unknown as {
      __TAURI_INTERNALS__: { runCallback: (id: number, d: unknown) => void };
    }
  ).__TAURI_INTERNALS__;
  internals.runCallback(b.channel!.id, { index, message });
}

beforeEach(() => {
  vi.stubGlobal("requestAnimationFrame", (cb: () => void) => setTimeout(cb, 0));
});
afterEach(() => {
  clearMocks();
  vi.unstubAllGlobals();
});

describe("useRunLogs", () => {
  it("opens a million-line log with its tail page only, then follows after the last line", async () => {
    const b = backend(1_000_000);
    const scope = effectScope();
    const logs = scope.run(() => useRunLogs(9))!;
    await vi.waitFor(() => expect(b.channel).toBeDefined());
    expect(b.logCalls).toEqual([[998_001, PAGE_SIZE]]);
    expect(b.followFrom).toEqual([1_000_001]);
    expect(logs.count.value).toBe(1_000_000);
    expect(logs.source.line(999_999)?.seq).toBe(1_000_000);
    expect(logs.source.line(0)).toBeUndefined();

    // The follower may resend lines the page already had: no duplicates, no gaps.
    send(b, 0, { type: "lines", data: [line(999_999), line(1_000_000), line(1_000_001)] });
    send(b, 1, { type: "lines", data: [line(1_000_002)] });
    send(b, 2, { type: "end", data: run("succeeded", 1_000_002) });
    await vi.waitFor(() => expect(logs.count.value).toBe(1_000_002));
    expect(logs.source.line(1_000_000)?.seq).toBe(1_000_001);
    expect(logs.source.line(1_000_001)?.seq).toBe(1_000_002);
    expect(logs.run.value?.status).toBe("succeeded");
    expect(logs.ended.value).toBe(true);
    scope.stop();
    await nextTick();
  });

  it("follows after the highest line fetched when run_get counted fewer", async () => {
    const b = backend(PAGE_SIZE + 40, PAGE_SIZE - 5);
    const scope = effectScope();
    const logs = scope.run(() => useRunLogs(9))!;
    await vi.waitFor(() => expect(b.channel).toBeDefined());
    expect(b.logCalls.map(([from]) => from)).toEqual([1]);
    expect(b.followFrom).toEqual([PAGE_SIZE + 1]);
    expect(logs.count.value).toBe(PAGE_SIZE);
    scope.stop();
  });

  it("fetches the pages around what the view shows, on request", async () => {
    const b = backend(1_000_000, 1_000_000, "succeeded");
    const scope = effectScope();
    const logs = scope.run(() => useRunLogs(9))!;
    await vi.waitFor(() => expect(b.channel).toBeDefined());
    logs.source.request(500_010, 500_050);
    await vi.waitFor(() => expect(logs.source.line(500_010)?.seq).toBe(500_011));
    // the page on screen first, then the one within half a page above it
    expect(b.logCalls.slice(1).map(([from]) => from)).toEqual([500_001, 498_001]);
    const loaded = logs.source.version.value;
    logs.source.request(500_020, 500_060); // same page: nothing more to fetch
    await nextTick();
    expect(b.logCalls).toHaveLength(3);
    expect(logs.source.version.value).toBe(loaded);
    scope.stop();
  });

  it("reports a run that cannot be loaded", async () => {
    mockIPC(() => {
      throw { code: "not_found", message: "There is no run 9", fields: [] };
    });
    const scope = effectScope();
    const logs = scope.run(() => useRunLogs(9))!;
    await vi.waitFor(() => expect(logs.error.value?.code).toBe("not_found"));
    expect(logs.loading.value).toBe(false);
    scope.stop();
  });
});
