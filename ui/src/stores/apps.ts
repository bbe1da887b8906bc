// The apps as the Apps page shows them: the list (app_list, quick, from the database) and, per
// app, what runs now (app_get asks each endpoint, so it arrives later and a few at a time). The
// answers are applied at most once per frame, together: with 100 apps, a repaint of the table per
// answer made the page take seconds longer than the answers themselves (scripts/bench-apps.sh).
import { defineStore } from "pinia";
import { ref } from "vue";
import { appGet, appList, appRef, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { App } from "@/bindings/App";
import type { AppDetail } from "@/bindings/AppDetail";

/** How many endpoints are asked at once. */
const PARALLEL = 4;

export type LiveState = { ok: true; detail: AppDetail } | { ok: false; error: ApiError };

export const useAppStore = defineStore("apps", () => {
  const items = ref<App[]>([]);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  /** What runs now, by `NAME@ENDPOINT`; missing while being checked the first time. */
  const live = ref<Record<string, LiveState>>({});

  async function refresh(): Promise<void> {
    try {
      items.value = await appList();
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = toApiError(e);
      return;
    }
    await checkAll();
  }

  /** Answers not applied yet, and whether a frame will apply them. */
  let pending: Record<string, LiveState> = {};
  let frame: number | null = null;

  function flush(): void {
    if (frame !== null) cancelAnimationFrame(frame);
    frame = null;
    if (Object.keys(pending).length === 0) return;
    live.value = { ...live.value, ...pending };
    pending = {};
  }

  function put(key: string, state: LiveState): void {
    pending[key] = state;
    frame ??= requestAnimationFrame(flush);
  }

  async function ask(key: string): Promise<void> {
    try {
      put(key, { ok: true, detail: await appGet(key) });
    } catch (e) {
      put(key, { ok: false, error: toApiError(e) });
    }
  }

  /** What runs of one app, shown at once. */
  async function check(key: string): Promise<void> {
    await ask(key);
    flush();
  }

  async function checkAll(): Promise<void> {
    const queue = items.value.map(appRef);
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) await ask(next);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
    flush();
  }

  /** The live detail of an app, when it has been read. */
  function detailOf(app: App): AppDetail | null {
    const state = live.value[appRef(app)];
    return state?.ok ? state.detail : null;
  }

  /** Whether the endpoint could not be asked at all (the detail call failed). */
  function failedOf(app: App): ApiError | null {
    const state = live.value[appRef(app)];
    return state && !state.ok ? state.error : null;
  }

  return { items, loaded, error, live, refresh, check, detailOf, failedOf };
});
