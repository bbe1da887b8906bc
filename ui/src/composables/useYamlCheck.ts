// Checks template YAML as the user types (debounced template_parse_yaml, which saves nothing):
// the spec it describes, or the field problems / error that make it invalid. Answers to older
// text are dropped.
import { ref, shallowRef, watch, type Ref } from "vue";
import { templateParseYaml, toApiError } from "@/api";
import type { FieldError } from "@/bindings/FieldError";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { errorText } from "@/lib/feedback";

export function useYamlCheck(text: Ref<string>, delayMs = 300) {
  const preview = shallowRef<TemplateSpec | null>(null);
  const problems = ref<FieldError[]>([]);
  const failure = ref<string | null>(null);
  const checking = ref(false);
  let request = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function check(): Promise<void> {
    const mine = ++request;
    preview.value = null;
    problems.value = [];
    failure.value = null;
    if (text.value.trim() === "") {
      checking.value = false;
      return;
    }
    checking.value = true;
    try {
      const spec = await templateParseYaml(text.value);
      if (mine === request) preview.value = spec;
    } catch (e) {
      if (mine !== request) return;
      const error = toApiError(e);
      problems.value = error.fields;
      failure.value = error.fields.length ? null : errorText(error);
    } finally {
      if (mine === request) checking.value = false;
    }
  }

  watch(text, () => {
    clearTimeout(timer);
    checking.value = text.value.trim() !== "";
    timer = setTimeout(() => void check(), delayMs);
  });

  return { preview, problems, failure, checking };
}
