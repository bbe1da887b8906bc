// The steps of a run, kept fresh while it runs: the live refresh (status events, a short
// interval) asks run_steps again while the run or one of its steps can still change, and once
// more when the run's status changes or its log grows (a step started or ended). Empty for a
// run of a one-step template, which shows no graph.
import { computed, ref, shallowRef, watch, type Ref } from "vue";
import { runSteps, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { Run } from "@/bindings/Run";
import type { RunStep } from "@/bindings/RunStep";
import { useLiveRefresh } from "@/composables/useLiveRefresh";
import { isActive } from "@/lib/status";
import { isStepActive } from "@/lib/stepStatus";

export function useRunSteps(run: Ref<Run | null>, logCount: Ref<number>) {
  const steps = shallowRef<RunStep[]>([]);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  let loadedFor: number | null = null;
  let inflight: Promise<void> | null = null;
  let again = false;

  const settled = () =>
    loadedFor === run.value?.id &&
    !isActive(run.value.status) &&
    steps.value.every((s) => !isStepActive(s.status));

  async function fetchSteps(): Promise<void> {
    const current = run.value;
    if (!current) return;
    try {
      const next = await runSteps(current.id);
      if (run.value?.id !== current.id) return;
      steps.value = next;
      loadedFor = current.id;
      loaded.value = true;
      error.value = null;
    } catch (e) {
      if (run.value?.id === current.id) error.value = toApiError(e);
    }
  }

  /** Asks again, unless everything has ended; one request at a time, the last call honoured. */
  function refresh(force = false): Promise<void> {
    // A one-step run (no steps) never gains any: no need to ask again while it runs.
    const oneStep = loadedFor === run.value?.id && steps.value.length === 0;
    if (!force && (settled() || oneStep)) return Promise.resolve();
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = fetchSteps().finally(() => {
      inflight = null;
      if (again) {
        again = false;
        void refresh(true);
      }
    });
    return inflight;
  }

  watch(
    () => run.value?.id,
    () => {
      steps.value = [];
      loaded.value = false;
      loadedFor = null;
      void refresh(true);
    },
    { immediate: true },
  );
  watch(
    () => run.value?.status,
    () => void refresh(true),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(logCount, () => {
    if (timer !== undefined || settled()) return;
    timer = setTimeout(() => {
      timer = undefined;
      void refresh();
    }, 400);
  });
  useLiveRefresh(() => refresh(), { intervalMs: 1500 });

  const names = computed(() => {
    const out: string[] = [];
    for (const s of steps.value) out[s.index] = s.name;
    return out;
  });

  return { steps, loaded, error, names, refresh: () => refresh(true) };
}
