// A shared ticking clock for live durations and relative times: one timer per interval, however
// many components read it, stopped when the last one is gone.
import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from "vue";

interface Clock {
  now: Ref<number>;
  users: number;
  timer: ReturnType<typeof setInterval>;
}

const clocks = new Map<number, Clock>();

export function useNow(intervalMs = 1000): Readonly<Ref<number>> {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    const now = ref(Date.now());
    const timer = setInterval(() => (now.value = Date.now()), intervalMs);
    clock = { now, users: 0, timer };
    clocks.set(intervalMs, clock);
  }
  const mine = clock;
  mine.users++;
  if (getCurrentScope()) {
    onScopeDispose(() => {
      mine.users--;
      if (mine.users === 0) {
        clearInterval(mine.timer);
        clocks.delete(intervalMs);
      }
    });
  }
  return readonly(mine.now);
}
