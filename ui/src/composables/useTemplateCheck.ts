// Checks the template being edited against the engine as the user types (template_validate,
// debounced; it saves nothing): the engine's field errors are the only rules, so the form never
// disagrees with what saving would say. Answers to an older spec are dropped; a check that cannot
// reach the engine leaves the last answer (saving reports the failure).
import { ref, watch, type Ref } from "vue";
import { templateValidate } from "@/api";
import type { FieldError } from "@/bindings/FieldError";
import type { TemplateSpec } from "@/bindings/TemplateSpec";

export function useTemplateCheck(spec: () => TemplateSpec, delayMs = 300) {
  const errors = ref<FieldError[]>([]) as Ref<FieldError[]>;
  const checking = ref(false);
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function check(): Promise<void> {
    clearTimeout(timer);
    const mine = ++request;
    checking.value = true;
    try {
      const found = await templateValidate(spec());
      if (mine === request) errors.value = found;
    } catch {
      // Unreachable or refused: nothing new is known; the save says why.
    } finally {
      if (mine === request) checking.value = false;
    }
  }

  /** Forgets the answers (a new spec was loaded or saved) and what is on its way. */
  function clear(): void {
    clearTimeout(timer);
    request++;
    errors.value = [];
    checking.value = false;
  }

  /** Takes errors the engine gave otherwise (a refused save) as the current answer. */
  function take(found: FieldError[]): void {
    clear();
    errors.value = found;
  }

  watch(
    spec,
    () => {
      clearTimeout(timer);
      checking.value = true;
      timer = setTimeout(() => void check(), delayMs);
    },
    { deep: true },
  );

  return { errors, checking, check, clear, take };
}
