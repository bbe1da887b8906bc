// Runs: the current page of the history with its filter, the dashboard's numbers, and the
// operations that start or cancel runs. Responses that arrive after a newer request are dropped,
// so a quick filter change never shows an older page.
import { defineStore } from "pinia";
import { ref } from "vue";
import { dashboardStats, runCancel, runList, runStart, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { DashboardStats } from "@/bindings/DashboardStats";
import type { Run } from "@/bindings/Run";
import type { RunFilter } from "@/bindings/RunFilter";
import type { RunPage } from "@/bindings/RunPage";

export const useRunStore = defineStore("runs", () => {
  const page = ref<RunPage | null>(null);
  const pageFilter = ref<RunFilter | null>(null);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  let pageRequest = 0;

  const stats = ref<DashboardStats | null>(null);
  const statsError = ref<ApiError | null>(null);
  let statsRequest = 0;

  async function fetchPage(filter: RunFilter): Promise<void> {
    const request = ++pageRequest;
    const sameFilter = JSON.stringify(filter) === JSON.stringify(pageFilter.value);
    if (!sameFilter) loading.value = true;
    try {
      const result = await runList(filter);
      if (request !== pageRequest) return;
      page.value = result;
      pageFilter.value = filter;
      error.value = null;
    } catch (e) {
      if (request === pageRequest) error.value = toApiError(e);
    } finally {
      if (request === pageRequest) loading.value = false;
    }
  }

  async function fetchStats(): Promise<void> {
    const request = ++statsRequest;
    try {
      const result = await dashboardStats();
      if (request !== statsRequest) return;
      stats.value = result;
      statsError.value = null;
    } catch (e) {
      if (request === statsRequest) statsError.value = toApiError(e);
    }
  }

  /** Replaces a run wherever it is shown, e.g. on a run://status event. */
  function applyRun(run: Run): void {
    const replace = (list: Run[]) => {
      const i = list.findIndex((r) => r.id === run.id);
      if (i !== -1) list.splice(i, 1, run);
    };
    if (page.value) replace(page.value.runs);
    if (stats.value) replace(stats.value.recent);
  }

  function start(
    template: string,
    params: Record<string, string>,
    gitRef: string | null = null,
    rerunOf: number | null = null,
  ): Promise<Run> {
    return runStart(template, params, gitRef, rerunOf);
  }

  async function cancel(id: number): Promise<Run> {
    const run = await runCancel(id);
    applyRun(run);
    return run;
  }

  return {
    page,
    pageFilter,
    loading,
    error,
    stats,
    statsError,
    fetchPage,
    fetchStats,
    applyRun,
    start,
    cancel,
  };
});
