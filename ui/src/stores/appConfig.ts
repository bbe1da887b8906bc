// The backend's settings (notifications, SMTP, tray, start at login), as the Settings page edits
// them. Switches change at once on screen and revert when the backend refuses.
import { defineStore } from "pinia";
import { ref } from "vue";
import { configList, configSet, configUnset, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { Setting } from "@/bindings/Setting";

export const useAppConfigStore = defineStore("appConfig", () => {
  const items = ref<Record<string, Setting>>({});
  const loaded = ref(false);
  const error = ref<ApiError | null>(null);

  function put(setting: Setting): void {
    items.value = { ...items.value, [setting.key]: setting };
  }

  async function load(): Promise<void> {
    try {
      const list = await configList();
      items.value = Object.fromEntries(list.map((s) => [s.key, s]));
      loaded.value = true;
      error.value = null;
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  /** The value in effect, as text (`""` for a password, whose value is never read back). */
  function text(key: string): string {
    const v = items.value[key]?.value;
    if (v === null || v === undefined) return "";
    return typeof v === "string" ? v : JSON.stringify(v);
  }

  function flag(key: string): boolean {
    return items.value[key]?.value === true;
  }

  function isSet(key: string): boolean {
    return items.value[key]?.isSet ?? false;
  }

  /** Stores a value; throws the backend's ApiError (with field errors) when it is refused. */
  async function set(key: string, value: string): Promise<void> {
    put(await configSet(key, value));
  }

  async function setFlag(key: string, on: boolean): Promise<void> {
    const before = items.value[key];
    if (before) put({ ...before, value: on, isSet: true });
    try {
      await set(key, on ? "true" : "false");
    } catch (e) {
      if (before) put(before);
      throw e;
    }
  }

  async function unset(key: string): Promise<void> {
    put(await configUnset(key));
  }

  return { items, loaded, error, load, text, flag, isSet, set, setFlag, unset };
});
