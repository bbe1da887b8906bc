// A run and its log, live: loads the run, then the stored lines page by page, then follows the
// rest over a Tauri Channel (status changes included) until the `end` event. Lines go through a
// LogBuffer and reach the screen at most once per animation frame; the array itself is never
// reactive: `lines` is a shallowRef that is triggered, and `count` says how many lines exist.
import {
  onScopeDispose,
  ref,
  shallowRef,
  toValue,
  triggerRef,
  watch,
  type MaybeRefOrGetter,
} from "vue";
import { runFollow, runGet, runLogs, runUnfollow, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { LogLine } from "@/bindings/LogLine";
import type { Run } from "@/bindings/Run";
import { createFrameScheduler, LogBuffer } from "@/lib/logBuffer";

export const HISTORY_PAGE = 5000;

export function useRunLogs(runId: MaybeRefOrGetter<number>) {
  const run = ref<Run | null>(null);
  /** The run itself could not be loaded. */
  const error = ref<ApiError | null>(null);
  /** The run loaded but its log could not be read or followed. */
  const logError = ref<ApiError | null>(null);
  const loading = ref(true);
  const historyLoading = ref(false);
  const ended = ref(false);

  const buffer = new LogBuffer();
  const lines = shallowRef(buffer.lines);
  const count = ref(0);
  const frame = createFrameScheduler(() => {
    if (buffer.flush() === 0) return;
    count.value = buffer.lines.length;
    triggerRef(lines);
  });

  let session = 0;
  let followed: number | null = null;

  function accept(batch: readonly LogLine[]): void {
    if (buffer.add(batch) > 0) frame.schedule();
  }

  function onEvent(event: FollowEvent): void {
    if (event.type === "lines") accept(event.data);
    else {
      run.value = event.data;
      if (event.type === "end") ended.value = true;
    }
  }

  function stopFollowing(): void {
    if (followed === null) return;
    runUnfollow(followed).catch(() => {});
    followed = null;
  }

  async function open(id: number): Promise<void> {
    const mine = ++session;
    stopFollowing();
    frame.cancel();
    buffer.clear();
    count.value = 0;
    triggerRef(lines);
    run.value = null;
    error.value = null;
    logError.value = null;
    loading.value = true;
    ended.value = false;
    try {
      run.value = await runGet(id);
    } catch (e) {
      if (mine === session) {
        error.value = toApiError(e);
        loading.value = false;
      }
      return;
    }
    if (mine !== session) return;
    loading.value = false;
    historyLoading.value = true;
    try {
      for (;;) {
        const page = await runLogs(id, buffer.lastSeq + 1, HISTORY_PAGE);
        if (mine !== session) return;
        accept(page);
        if (page.length < HISTORY_PAGE) break;
      }
      historyLoading.value = false;
      followed = id;
      await runFollow(id, buffer.lastSeq + 1, (event) => {
        if (mine === session) onEvent(event);
      });
    } catch (e) {
      if (mine === session) {
        logError.value = toApiError(e);
        historyLoading.value = false;
      }
    }
  }

  watch(
    () => toValue(runId),
    (id) => void open(id),
    { immediate: true },
  );

  onScopeDispose(() => {
    session++;
    frame.cancel();
    stopFollowing();
  });

  /** Replaces the run after an action (cancel) answered with its new state. */
  function setRun(next: Run): void {
    if (run.value && next.id === run.value.id) run.value = next;
  }

  function reload(): void {
    void open(toValue(runId));
  }

  return { run, error, logError, loading, historyLoading, ended, lines, count, setRun, reload };
}
