// Live-throughput benchmark of the log view, off unless localStorage "simple-cicd.bench" is "1":
// while the run is live, every 5 s it reports through app_painted how many lines per second
// reached the screen and how many frames took longer than 50 ms (a frozen window shows as both).
import { onScopeDispose, watch } from "vue";
import { appPainted, isDesktop } from "@/api";

export const BENCH_KEY = "simple-cicd.bench";
export const BENCH_INTERVAL_MS = 5000;
const SLOW_FRAME_MS = 50;

export function benchEnabled(): boolean {
  try {
    return typeof localStorage !== "undefined" && localStorage.getItem(BENCH_KEY) === "1";
  } catch {
    return false;
  }
}

/** The mark sent for one interval. */
export function liveLinesMark(lines: number, elapsedMs: number, slowFrames: number): string {
  const perSecond = elapsedMs > 0 ? Math.round((lines * 1000) / elapsedMs) : 0;
  return `live-lines ${perSecond} ${slowFrames}`;
}

export function useLiveBench(count: () => number, live: () => boolean): void {
  if (!benchEnabled() || !isDesktop()) return;
  let raf = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let lastFrame = 0;
  let lastCount = 0;
  let lines = 0;
  let slow = 0;
  let since = 0;

  function frame(now: number): void {
    if (lastFrame && now - lastFrame > SLOW_FRAME_MS) slow++;
    lastFrame = now;
    const c = count();
    if (c > lastCount) lines += c - lastCount;
    lastCount = c;
    raf = requestAnimationFrame(frame);
  }

  function report(): void {
    const now = performance.now();
    void appPainted(liveLinesMark(lines, now - since, slow)).catch(() => {});
    lines = 0;
    slow = 0;
    since = now;
  }

  function stop(): void {
    if (raf) cancelAnimationFrame(raf);
    if (timer !== null) clearInterval(timer);
    raf = 0;
    timer = null;
  }

  function start(): void {
    stop();
    lastFrame = 0;
    lastCount = count();
    lines = 0;
    slow = 0;
    since = performance.now();
    raf = requestAnimationFrame(frame);
    timer = setInterval(report, BENCH_INTERVAL_MS);
  }

  watch(live, (on) => (on ? start() : stop()), { immediate: true });
  onScopeDispose(stop);
}
