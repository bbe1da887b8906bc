// The stored secrets as the UI sees them: names, where they live and when they changed, never a
// value (values only travel towards the backend). A keyring that is missing or locked makes
// changes fail with code `keyring`; that error is kept until a change succeeds, so the page can
// show what to install or unlock for as long as it matters.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { secretDelete, secretList, secretSet, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { SecretInfo } from "@/bindings/SecretInfo";

/** What the backend accepts as a secret name. */
export const SECRET_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export const useSecretStore = defineStore("secrets", () => {
  const items = ref<SecretInfo[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  const keyringError = ref<ApiError | null>(null);
  let inFlight: Promise<void> | null = null;

  const names = computed(() => items.value.map((s) => s.name));

  /** Reloads the list; concurrent callers share one request. */
  function refresh(): Promise<void> {
    if (inFlight) return inFlight;
    loading.value = true;
    inFlight = secretList()
      .then((list) => {
        items.value = [...list].sort((a, b) => a.name.localeCompare(b.name));
        error.value = null;
        loaded.value = true;
      })
      .catch((e: unknown) => {
        error.value = toApiError(e);
      })
      .finally(() => {
        loading.value = false;
        inFlight = null;
      });
    return inFlight;
  }

  /** Loads the list once (the template editor needs the names). */
  function ensureLoaded(): Promise<void> {
    return loaded.value ? Promise.resolve() : refresh();
  }

  function remember(e: unknown): ApiError {
    const err = toApiError(e);
    if (err.code === "keyring") keyringError.value = err;
    return err;
  }

  /** Stores or replaces a value. Rejects with the ApiError (a `keyring` one is also kept). */
  async function save(name: string, value: string): Promise<SecretInfo> {
    try {
      const info = await secretSet(name, value);
      keyringError.value = null;
      const rest = items.value.filter((s) => s.name !== info.name);
      items.value = [...rest, info].sort((a, b) => a.name.localeCompare(b.name));
      return info;
    } catch (e) {
      throw remember(e);
    }
  }

  async function remove(name: string): Promise<void> {
    try {
      await secretDelete(name);
      keyringError.value = null;
      items.value = items.value.filter((s) => s.name !== name);
    } catch (e) {
      throw remember(e);
    }
  }

  return {
    items,
    loaded,
    loading,
    error,
    keyringError,
    names,
    refresh,
    ensureLoaded,
    save,
    remove,
  };
});
