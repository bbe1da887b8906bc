// The E-mail section's saving: each SMTP setting is saved by itself when it changes (an empty
// text goes back to the default), the password is sent to the secret store and the field cleared.
// Saves run one after the other; `settled()` waits for them, so a test e-mail sent right after
// an edit uses it.
import { reactive, ref, watch } from "vue";
import { toApiError } from "@/api";
import { useConfigStore } from "@/stores/config";

export const SMTP_TEXT_KEYS = [
  "smtp.host",
  "smtp.port",
  "smtp.security",
  "smtp.caFile",
  "smtp.username",
  "smtp.from",
] as const;

export function useEmailSettings() {
  const config = useConfigStore();
  const form = reactive<Record<string, string>>({});
  const password = ref("");
  const errors = reactive<Record<string, string>>({});
  const saved = reactive<Record<string, boolean>>({});
  let queue: Promise<void> = Promise.resolve();

  watch(
    () => config.loaded,
    () => SMTP_TEXT_KEYS.forEach((key) => (form[key] = config.text(key))),
    { immediate: true },
  );

  async function write(key: string, value: string): Promise<void> {
    saved[key] = false;
    delete errors[key];
    try {
      if (value !== "") await config.set(key, value);
      else if (config.isSet(key)) await config.unset(key);
      saved[key] = true;
    } catch (e) {
      const err = toApiError(e);
      errors[key] = err.fields.find((f) => f.path === key)?.message ?? err.message;
    }
  }

  function enqueue(job: () => Promise<void>): Promise<void> {
    queue = queue.then(job);
    return queue;
  }

  /** Saves one text setting if it differs from the value in effect. */
  function save(key: string): Promise<void> {
    const value = (form[key] ?? "").trim();
    if (value === config.text(key)) return queue;
    return enqueue(() => write(key, value));
  }

  function savePassword(): Promise<void> {
    const value = password.value;
    if (value === "") return queue;
    return enqueue(async () => {
      await write("smtp.password", value);
      if (saved["smtp.password"]) password.value = "";
    });
  }

  function edit(key: string, value: string): void {
    form[key] = value;
  }

  return { form, password, errors, saved, edit, save, savePassword, settled: () => queue };
}
