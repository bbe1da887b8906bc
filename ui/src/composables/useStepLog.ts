// The log of one step of a pipeline run, as a LogSource for the existing log viewer (numbered
// within the step), built over the run's own log source (lib/stepLog.ts): it rescans whenever
// the run's log grows, so a running step's lines arrive live. Search asks the backend for the
// whole run and keeps the step's matches.
import { onScopeDispose, readonly, ref, watch } from "vue";
import { runLogSearch, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { LogLine } from "@/bindings/LogLine";
import type { LogSearch } from "@/bindings/LogSearch";
import type { LogSource } from "@/composables/useRunLogs";
import { PAGE_SIZE, pagesForRange } from "@/lib/logPages";
import { StepLog, type StepWindow } from "@/lib/stepLog";

export function useStepLog(
  runId: number,
  step: number,
  run: LogSource,
  fetchRun: (fromSeq: number, limit: number) => Promise<LogLine[]>,
  /** When the step ran, if known: only that part of the run's log is scanned. */
  window: StepWindow | null = null,
) {
  const count = ref(0);
  const version = ref(0);
  const scanned = ref(false);
  const error = ref<ApiError | null>(null);
  const log = new StepLog(
    step,
    { count: () => run.count.value, line: (i) => run.line(i), fetch: fetchRun },
    () => {
      count.value = log.pages.count;
      scanned.value = log.complete;
      version.value++;
    },
    (e) => (error.value = toApiError(e)),
    undefined,
    window,
  );

  watch(
    () => run.version.value,
    () => void log.scan().catch((e: unknown) => (error.value = toApiError(e))),
    { immediate: true },
  );
  onScopeDispose(() => log.dispose());

  const source: LogSource = {
    count: readonly(count),
    version: readonly(version),
    line: (index) => log.pages.line(index),
    request: (start, end) =>
      log.loader.want(pagesForRange(start, end, log.pages.count, PAGE_SIZE / 2)),
  };

  async function search(query: string, limit: number): Promise<LogSearch> {
    const found = await runLogSearch(runId, query, limit);
    const seqs = log.mapSeqs(found.seqs);
    return { seqs, total: seqs.length };
  }

  return {
    source,
    scanned,
    error,
    fetchLines: (from: number, limit: number) => log.fetch(from, limit),
    search,
  };
}
