// The backend's settings (config_list / config_set) and its disk usage. A setting is saved on its
// own; a refused value rejects with the backend's ApiError and changes nothing here. Switches
// (notifications, tray, start at login) change at once on screen and revert when refused.
import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";
import {
  configList,
  configSet,
  configUnset,
  storageCleanup,
  storageUsage,
  toApiError,
} from "@/api";
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

  function put(saved: Setting): void {
    items.value = items.value.map((s) => (s.key === saved.key ? saved : s));
  }

  /** The value in effect as text (`""` for a password, whose value is never read back). */
  function text(key: string): string {
    const v = get(key)?.value;
    if (v === null || v === undefined) return "";
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  function flag(key: string): boolean {
    return get(key)?.value === true;
  }

  function isSet(key: string): boolean {
    return get(key)?.isSet ?? false;
  }

  async function setFlag(key: string, on: boolean): Promise<void> {
    const before = get(key);
    if (before) put({ ...before, value: on, isSet: true });
    try {
      await set(key, on ? "true" : "false");
    } catch (e) {
      if (before) put(before);
      throw e;
    }
  }

  /** Back to the default; for a password, removes it from the keyring. */
  async function unset(key: string): Promise<Setting> {
    const saved = await configUnset(key);
    put(saved);
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

  return {
    items,
    loaded,
    error,
    usage,
    usageError,
    load,
    get,
    set,
    text,
    flag,
    isSet,
    setFlag,
    unset,
    loadUsage,
    cleanup,
  };
});
