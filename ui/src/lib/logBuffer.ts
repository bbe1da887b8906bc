// Buffer between the log stream and the screen: live lines arrive in many small batches, are
// queued, and are handed over at most once per animation frame. Lines at or below the highest seq
// seen are dropped, so a follow that overlaps what was fetched adds neither gaps nor duplicates.
import type { LogLine } from "@/bindings/LogLine";

export class LogBuffer {
  private pending: LogLine[] = [];
  private highest = 0;

  /** Highest seq accepted so far (queued or taken); the next follow starts after it. */
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

  /** Hands over the queued lines and empties the queue. */
  take(): LogLine[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Starts over: lines up to `seq` are known already (0: nothing is). */
  reset(seq = 0): void {
    this.pending = [];
    this.highest = seq;
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
