import { describe, expect, it, vi } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import { createFrameScheduler, LogBuffer } from "./logBuffer";

const line = (seq: number): LogLine => ({ seq, ts: seq, stream: "stdout", text: `line ${seq}` });

describe("log buffer", () => {
  it("queues lines until taken", () => {
    const buffer = new LogBuffer();
    expect(buffer.add([line(1), line(2)])).toBe(2);
    expect(buffer.pendingCount).toBe(2);
    expect(buffer.take().map((l) => l.seq)).toEqual([1, 2]);
    expect(buffer.pendingCount).toBe(0);
    expect(buffer.take()).toEqual([]);
  });

  it("drops lines it has already seen (history and follow overlap)", () => {
    const buffer = new LogBuffer();
    buffer.add([line(1), line(2), line(3)]);
    expect(buffer.add([line(2), line(3), line(4)])).toBe(1);
    expect(buffer.take().map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(buffer.lastSeq).toBe(4);
  });

  it("continues after the last stored line when reset to it", () => {
    const buffer = new LogBuffer();
    buffer.reset(1_000_000);
    expect(buffer.add([line(999_999), line(1_000_000), line(1_000_001)])).toBe(1);
    expect(buffer.take().map((l) => l.seq)).toEqual([1_000_001]);
  });

  it("paints at most once per frame however many batches arrive", () => {
    const frames: Array<() => void> = [];
    const task = vi.fn();
    const scheduler = createFrameScheduler(task, (cb) => frames.push(cb));
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    expect(frames).toHaveLength(1);
    frames[0]?.();
    expect(task).toHaveBeenCalledTimes(1);
    scheduler.schedule();
    expect(frames).toHaveLength(2);
  });
});
