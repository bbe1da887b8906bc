// A run and its log, live, without ever loading the whole log: the run says how many lines are
// stored, so the view can size itself at once; the tail page is fetched first, then the run is
// followed over a Tauri Channel from the line after the last stored one (status changes
// included) until the `end` event. Other pages are fetched when the view scrolls to them
// (lib/logPages.ts). Live lines are queued and stored at most once per animation frame; nothing
// that holds lines is reactive: `count` and `version` tell the view when to look again.
import {
  onScopeDispose,
  readonly,
  ref,
  toValue,
  watch,
  type MaybeRefOrGetter,
  type Ref,
} from "vue";
import { runFollow, runGet, runLogs, runUnfollow, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { LogLine } from "@/bindings/LogLine";
import type { Run } from "@/bindings/Run";
import { createFrameScheduler, LogBuffer } from "@/lib/logBuffer";
import { isActive } from "@/lib/status";
import { LogPages, PAGE_SIZE, pageOf, PageLoader, pagesForRange } from "@/lib/logPages";

/** What the log view reads: lines by 0-based index, and when to read them again. */
export interface LogSource {
  /** Lines in the log (loaded or not). */
  readonly count: Readonly<Ref<number>>;
  /** Changes whenever loaded lines change. */
  readonly version: Readonly<Ref<number>>;
  /** The line at a 0-based index, or undefined while it is being fetched. */
  line(index: number): LogLine | undefined;
  /** The view shows lines [start, end): fetch what is missing around them. */
  request(start: number, end: number): void;
}

export function useRunLogs(runId: MaybeRefOrGetter<number>) {
  const run = ref<Run | null>(null);
  /** The run itself could not be loaded. */
  const error = ref<ApiError | null>(null);
  /** The run loaded but its log could not be read or followed. */
  const logError = ref<ApiError | null>(null);
  const loading = ref(true);
  /** The tail of the log is being fetched (the first paint waits for it). */
  const historyLoading = ref(false);
  /** Some page is being fetched. */
  const pageLoading = ref(false);
  const ended = ref(false);
  const count = ref(0);
  const version = ref(0);

  const pages = new LogPages();
  const buffer = new LogBuffer();
  let current = toValue(runId);
  let session = 0;
  let followed: number | null = null;

  function sync(): void {
    count.value = pages.count;
    version.value++;
    pageLoading.value = loader.loading;
  }

  const loader = new PageLoader(
    pages,
    (fromSeq, limit) => runLogs(current, fromSeq, limit),
    sync,
    (e) => (logError.value = toApiError(e)),
  );
  const frame = createFrameScheduler(() => {
    const batch = buffer.take();
    if (batch.length > 0) pages.store(batch);
    sync();
  });

  function onEvent(event: FollowEvent): void {
    if (event.type === "lines") {
      if (buffer.add(event.data) > 0) frame.schedule();
    } else {
      run.value = event.data;
      if (event.type === "end") ended.value = true;
    }
  }

  function stopFollowing(): void {
    if (followed === null) return;
    runUnfollow(followed).catch(() => {});
    followed = null;
  }

  /**
   * Fetches the last stored page. Lines stored after run_get counted them come with the follow,
   * which starts after the highest line this page had.
   */
  async function loadTail(mine: number): Promise<boolean> {
    await loader.load(pageOf(pages.count - 1));
    return mine === session && !logError.value;
  }

  async function open(id: number): Promise<void> {
    const mine = ++session;
    stopFollowing();
    frame.cancel();
    loader.reset();
    pages.clear();
    buffer.reset();
    current = id;
    run.value = null;
    error.value = null;
    logError.value = null;
    loading.value = true;
    ended.value = false;
    sync();
    performance.mark?.("run-log-open");
    let loaded: Run;
    try {
      loaded = await runGet(id);
    } catch (e) {
      if (mine === session) {
        error.value = toApiError(e);
        loading.value = false;
      }
      return;
    }
    if (mine !== session) return;
    run.value = loaded;
    pages.count = loaded.logLines;
    sync();
    loading.value = false;
    historyLoading.value = true;
    const ok = await loadTail(mine);
    if (mine !== session) return;
    historyLoading.value = false;
    if (!ok) return;
    buffer.reset(pages.count);
    followed = id;
    try {
      await runFollow(id, pages.count + 1, (event) => {
        if (mine === session) onEvent(event);
      });
    } catch (e) {
      if (mine === session) logError.value = toApiError(e);
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
    loader.reset();
    stopFollowing();
  });

  const source: LogSource = {
    count: readonly(count),
    version: readonly(version),
    line: (index) => pages.line(index),
    request: (start, end) => {
      loader.want(pagesForRange(start, end, pages.count, PAGE_SIZE / 2));
      pageLoading.value = loader.loading;
    },
  };

  /** Lines from `fromSeq`, from the backend (for copying ranges that are not in memory). */
  function fetchLines(fromSeq: number, limit: number): Promise<LogLine[]> {
    return runLogs(current, fromSeq, limit);
  }

  /** Replaces the run after an action (cancel) answered with its new state. */
  /** Takes a run answered by a command (e.g. run_cancel), unless the stream already showed a
   *  later state: an answer that still says "running" must not hide the final status. */
  function setRun(next: Run): void {
    if (!run.value || next.id !== run.value.id) return;
    if (!isActive(run.value.status) && isActive(next.status)) return;
    run.value = next;
  }

  function reload(): void {
    void open(toValue(runId));
  }

  return {
    run,
    error,
    logError,
    loading,
    historyLoading,
    pageLoading,
    ended,
    count,
    source,
    fetchLines,
    setRun,
    reload,
  };
}
