// The difference between two revisions of an app (app_diff), read again whenever the app or the
// pair changes; an answer for a pair no longer asked for is dropped.
import { ref, watch } from "vue";
import { appDiff, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { AppDiff } from "@/bindings/AppDiff";

export function useAppDiff(app: () => string, pair: () => readonly [number, number] | null) {
  const diff = ref<AppDiff | null>(null);
  const error = ref<ApiError | null>(null);
  const loading = ref(false);
  let asked = 0;

  async function load(): Promise<void> {
    const p = pair();
    const mine = ++asked;
    diff.value = null;
    error.value = null;
    if (!p) return;
    loading.value = true;
    try {
      const answer = await appDiff(app(), p[0], p[1]);
      if (mine === asked) diff.value = answer;
    } catch (e) {
      if (mine === asked) error.value = toApiError(e);
    } finally {
      if (mine === asked) loading.value = false;
    }
  }

  watch(() => [app(), pair()?.[0], pair()?.[1]], load, { immediate: true });
  return { diff, error, loading, load };
}
