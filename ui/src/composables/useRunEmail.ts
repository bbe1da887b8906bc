// Keeps the e-mail status of an ended run current: it changes after the run ended (sending,
// retries, the server's answer). Events come for runs of this app; runs of `scicd` in a terminal
// are polled while their e-mail is still being sent.
import { onScopeDispose, watch, type Ref } from "vue";
import { onRunStatus, runGet } from "@/api";
import type { Run } from "@/bindings/Run";
import { isActive } from "@/lib/status";

const POLL_MS = 2000;

export function useRunEmail(run: Ref<Run | null>, setRun: (run: Run) => void): void {
  let stopListening: (() => void) | null = null;
  let disposed = false;
  void onRunStatus((next) => {
    const current = run.value;
    if (current && next.id === current.id && !isActive(next.status) && !isActive(current.status))
      setRun(next);
  }).then((stop) => (disposed ? stop() : (stopListening = stop)));

  let timer: ReturnType<typeof setInterval> | null = null;
  const stopPolling = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  watch(
    () => run.value?.email?.state,
    (state) => {
      if (state !== "pending") return stopPolling();
      if (timer) return;
      timer = setInterval(async () => {
        const current = run.value;
        if (!current) return;
        try {
          const fresh = await runGet(current.id);
          if (JSON.stringify(fresh.email) !== JSON.stringify(run.value?.email)) setRun(fresh);
        } catch {
          // The next tick tries again; the page shows the last known state meanwhile.
        }
      }, POLL_MS);
    },
    { immediate: true },
  );

  onScopeDispose(() => {
    disposed = true;
    stopListening?.();
    stopPolling();
  });
}
