// The backend's settings (config_list / config_set) and its disk usage. A setting is saved on its
// own; a refused value rejects with the backend's ApiError and changes nothing here.
import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";
import { configList, configSet, storageCleanup, storageUsage, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { CleanupReport } from "@/bindings/CleanupReport";
import type { Setting } from "@/bindings/Setting";
import type { StorageUsage } from "@/bindings/StorageUsage";

export const useConfigStore = defineStore("config", () => {
  const items = shallowRef<Setting[]>([]);
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);
  const usage = ref<StorageUsage | null>(null);
  const usageError = ref<ApiError | null>(null);

  async function load(): Promise<void> {
    try {
      items.value = await configList();
      error.value = null;
      loaded.value = true;
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  function get(key: string): Setting | undefined {
    return items.value.find((s) => s.key === key);
  }

  /** Saves one setting from its text form; rejects with the ApiError when it is refused. */
  async function set(key: string, text: string): Promise<Setting> {
    const saved = await configSet(key, text);
    items.value = items.value.map((s) => (s.key === key ? saved : s));
    return saved;
  }

  async function loadUsage(): Promise<void> {
    try {
      usage.value = await storageUsage();
      usageError.value = null;
    } catch (e) {
      usageError.value = toApiError(e);
    }
  }

  /** Applies the retention settings now, then reads the usage again. */
  async function cleanup(): Promise<CleanupReport> {
    const report = await storageCleanup();
    await loadUsage();
    return report;
  }

  return { items, loaded, error, usage, usageError, load, get, set, loadUsage, cleanup };
});
