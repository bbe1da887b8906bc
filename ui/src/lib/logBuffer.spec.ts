import { describe, expect, it, vi } from "vitest";
import type { LogLine } from "@/bindings/LogLine";
import { createFrameScheduler, LogBuffer } from "./logBuffer";

const line = (seq: number): LogLine => ({ seq, ts: seq, stream: "stdout", text: `line ${seq}` });

describe("log buffer", () => {
  it("queues lines until flushed, keeping one array instance", () => {
    const buffer = new LogBuffer();
    const array = buffer.lines;
    expect(buffer.add([line(1), line(2)])).toBe(2);
    expect(buffer.lines).toHaveLength(0);
    expect(buffer.flush()).toBe(2);
    expect(buffer.lines).toBe(array);
    expect(buffer.lines.map((l) => l.seq)).toEqual([1, 2]);
  });

  it("drops lines it has already seen (history and follow overlap)", () => {
    const buffer = new LogBuffer();
    buffer.add([line(1), line(2), line(3)]);
    expect(buffer.add([line(2), line(3), line(4)])).toBe(1);
    buffer.flush();
    expect(buffer.lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(buffer.lastSeq).toBe(4);
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
