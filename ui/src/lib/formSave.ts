// The save step of a form that the backend checks: `saving` while it runs, and the ApiError it
// answered with, split into a message per field path and a message that belongs to no field.
import { computed, ref } from "vue";
import type { ApiError } from "@/bindings/ApiError";

export function useFormSave() {
  const saving = ref(false);
  const failure = ref<ApiError | null>(null);

  const fieldError = (path: string) =>
    failure.value?.fields.find((f) => f.path === path)?.message ?? "";
  const otherError = computed(() =>
    failure.value && failure.value.fields.length === 0 ? failure.value.message : "",
  );

  /** Runs `action`; a rejection becomes `failure` instead of propagating. */
  async function run(action: () => Promise<void>): Promise<void> {
    failure.value = null;
    saving.value = true;
    try {
      await action();
    } catch (e) {
      failure.value = e as ApiError;
    } finally {
      saving.value = false;
    }
  }

  return { saving, failure, fieldError, otherError, run };
}
