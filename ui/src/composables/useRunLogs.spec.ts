import { afterEach, describe, expect, it, vi } from "vitest";
import { effectScope, nextTick } from "vue";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { LogLine } from "@/bindings/LogLine";
import type { Run } from "@/bindings/Run";
import { HISTORY_PAGE, useRunLogs } from "./useRunLogs";

const run = (status: Run["status"]): Run => ({
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
  logLines: 0,
  workdir: null,
  email: null,
});
const line = (seq: number): LogLine => ({ seq, ts: seq, stream: "stdout", text: `l${seq}` });

afterEach(() => clearMocks());

describe("useRunLogs", () => {
  it("loads the stored history page by page, then follows from the next line", async () => {
    vi.stubGlobal("requestAnimationFrame", (cb: () => void) => setTimeout(cb, 0));
    const total = HISTORY_PAGE + 3;
    let channel: Channel<FollowEvent> | undefined;
    const followFrom: number[] = [];
    mockIPC((cmd, args) => {
      const a = args as Record<string, unknown>;
      if (cmd === "run_get") return run("running");
      if (cmd === "run_logs") {
        const from = a.fromSeq as number;
        const to = Math.min(total, from + (a.limit as number) - 1);
        return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => line(from + i));
      }
      if (cmd === "run_follow") {
        followFrom.push(a.fromSeq as number);
        channel = a.onEvent as Channel<FollowEvent>;
      }
      return null;
    });

    const scope = effectScope();
    const logs = scope.run(() => useRunLogs(9))!;
    await vi.waitFor(() => expect(channel).toBeDefined());
    expect(followFrom).toEqual([total + 1]);
    await vi.waitFor(() => expect(logs.count.value).toBe(total));

    const internals = (
      window as unknown as {
        __TAURI_INTERNALS__: { runCallback: (id: number, d: unknown) => void };
      }
    ).__TAURI_INTERNALS__;
    internals.runCallback(channel!.id, {
      index: 0,
      message: { type: "lines", data: [line(total + 1)] },
    });
    internals.runCallback(channel!.id, {
      index: 1,
      message: { type: "end", data: run("succeeded") },
    });
    await vi.waitFor(() => expect(logs.count.value).toBe(total + 1));
    expect(logs.run.value?.status).toBe("succeeded");
    expect(logs.ended.value).toBe(true);
    expect(logs.lines.value[total]?.seq).toBe(total + 1);
    scope.stop();
    await nextTick();
    vi.unstubAllGlobals();
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
