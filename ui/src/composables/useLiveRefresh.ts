// Keeps a list fresh: refreshes on mount, on every run://status event (debounced), every few
// seconds while the window is visible (runs started by the `scicd` CLI emit no event here), and
// when the window becomes visible again. Never runs two refreshes at once.
import { onBeforeUnmount, onMounted } from "vue";
import { onRunStatus } from "@/api";
import type { Run } from "@/bindings/Run";

interface LiveRefreshOptions {
  intervalMs?: number;
  /** Called with each status event before the refresh (e.g. to patch a row at once). */
  onRun?: (run: Run) => void;
}

export function useLiveRefresh(refresh: () => unknown, options: LiveRefreshOptions = {}) {
  const intervalMs = options.intervalMs ?? 3000;
  let busy = false;
  let disposed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let unlisten: (() => void) | undefined;

  async function tick(): Promise<void> {
    if (busy || disposed) return;
    busy = true;
    try {
      await refresh();
    } finally {
      busy = false;
    }
  }

  function onVisibility(): void {
    if (document.visibilityState === "visible") void tick();
  }

  onMounted(() => {
    void tick();
    timer = setInterval(() => {
      if (document.visibilityState !== "hidden") void tick();
    }, intervalMs);
    document.addEventListener("visibilitychange", onVisibility);
    void onRunStatus((run) => {
      options.onRun?.(run);
      clearTimeout(debounce);
      debounce = setTimeout(() => void tick(), 150);
    }).then((stop) => {
      if (disposed) stop();
      else unlisten = stop;
    });
  });

  onBeforeUnmount(() => {
    disposed = true;
    clearInterval(timer);
    clearTimeout(debounce);
    document.removeEventListener("visibilitychange", onVisibility);
    unlisten?.();
  });

  return { refreshNow: tick };
}
