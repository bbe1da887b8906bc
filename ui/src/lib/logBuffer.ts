// Buffer between the log stream and the screen: lines arrive in many small batches, are queued,
// and are committed to the visible list at most once per animation frame. Lines are kept in a
// plain array (never made reactive: a million proxies would stall the page).
import type { LogLine } from "@/bindings/LogLine";

export class LogBuffer {
  /** Committed lines, ascending by seq. The same array instance for the buffer's whole life. */
  readonly lines: LogLine[] = [];
  private pending: LogLine[] = [];
  private highest = 0;

  /** Highest seq accepted so far (queued or committed); the next follow starts after it. */
  get lastSeq(): number {
    return this.highest;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Queues the lines that are new (seq above everything seen); returns how many were queued. */
  add(batch: readonly LogLine[]): number {
    let added = 0;
    for (const line of batch) {
      if (line.seq <= this.highest) continue;
      this.highest = line.seq;
      this.pending.push(line);
      added++;
    }
    return added;
  }

  /** Moves queued lines to `lines`; returns how many moved. */
  flush(): number {
    const moved = this.pending.length;
    for (let i = 0; i < moved; i++) this.lines.push(this.pending[i] as LogLine);
    this.pending = [];
    return moved;
  }

  clear(): void {
    this.lines.length = 0;
    this.pending = [];
    this.highest = 0;
  }
}

type FrameRequest = (callback: () => void) => number;
type FrameCancel = (handle: number) => void;

/** Coalesces any number of `schedule()` calls into one call of `task` on the next frame. */
export function createFrameScheduler(
  task: () => void,
  request: FrameRequest = (cb) =>
    typeof requestAnimationFrame === "function"
      ? requestAnimationFrame(cb)
      : (setTimeout(cb, 16) as unknown as number),
  cancelRequest: FrameCancel = (h) =>
    typeof cancelAnimationFrame === "function" ? cancelAnimationFrame(h) : clearTimeout(h),
): { schedule(): void; cancel(): void } {
  let handle: number | null = null;
  return {
    schedule() {
      if (handle !== null) return;
      handle = request(() => {
        handle = null;
        task();
      });
    },
    cancel() {
      if (handle !== null) cancelRequest(handle);
      handle = null;
    },
  };
}
