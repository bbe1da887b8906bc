// State of the pipeline editor: the YAML text (what the user typed is the truth: comments and
// layout are kept, a failed save loses nothing), the last saved text for "unsaved changes", the
// check as one types (template_parse_yaml) with each problem mapped to its line, the last valid
// steps for the graph preview, and saving the parsed spec through the existing save command.
import { computed, ref, shallowRef, watch } from "vue";
import { templateExportYaml, templateParseYaml, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { FieldError } from "@/bindings/FieldError";
import type { RunStep } from "@/bindings/RunStep";
import type { Template } from "@/bindings/Template";
import type { EditorSource } from "@/composables/useTemplateForm";
import { useFieldErrors } from "@/composables/useFieldErrors";
import { useYamlCheck } from "@/composables/useYamlCheck";
import { notifyError } from "@/lib/feedback";
import { renamePipeline, starterPipeline } from "@/lib/pipelineStarter";
import { stepsFromSpec } from "@/lib/stepGraph";
import { copyName, normalizeNewlines, uniqueName } from "@/lib/text";
import { yamlLineOf } from "@/lib/yamlPath";
import { useTemplateStore } from "@/stores/templates";

export function usePipelineForm() {
  const store = useTemplateStore();
  const fieldErrors = useFieldErrors();
  const text = ref("");
  const savedText = ref("");
  const savedName = ref<string | null>(null);
  const loading = ref(false);
  const loadError = ref<ApiError | null>(null);
  const saving = ref(false);
  const saveProblems = ref<FieldError[]>([]);
  const crlfNote = ref(false);
  const check = useYamlCheck(text);
  /** The steps of the last valid YAML: the preview keeps them while the text is mid-edit. */
  const previewSteps = shallowRef<RunStep[]>([]);

  watch(check.preview, (spec) => {
    if (spec) previewSteps.value = stepsFromSpec(spec.steps ?? []);
  });
  watch(text, () => (saveProblems.value = []));

  const dirty = computed(() => text.value !== savedText.value);
  const problems = computed(() => [...check.problems.value, ...saveProblems.value]);
  const lineProblems = computed(() =>
    problems.value.map((p) => ({
      line: yamlLineOf(text.value, p.path),
      message: `${p.path}: ${fieldErrors.text(p)}`,
    })),
  );

  function reset(yaml: string, name: string | null): void {
    const normalized = normalizeNewlines(yaml);
    crlfNote.value = normalized.changed;
    text.value = normalized.text;
    savedText.value = name === null ? "" : normalized.text;
    savedName.value = name;
    saveProblems.value = [];
    previewSteps.value = [];
  }

  async function load(source: EditorSource): Promise<void> {
    loadError.value = null;
    if (!store.loaded) await store.refresh();
    if (source.kind === "new" || source.kind === "example") {
      return reset(starterPipeline(uniqueName("pipeline", store.names)), null);
    }
    loading.value = true;
    try {
      const name = source.kind === "edit" ? source.name : source.from;
      const yaml = await templateExportYaml(name);
      if (source.kind === "edit") reset(yaml, name);
      else reset(renamePipeline(yaml, copyName(name, store.names)), null);
    } catch (e) {
      loadError.value = toApiError(e);
    } finally {
      loading.value = false;
    }
  }

  /** Parses and saves; returns the saved template, or null (the problems are then shown). */
  async function save(): Promise<Template | null> {
    saving.value = true;
    try {
      const spec = await templateParseYaml(text.value);
      const saved = await store.save(spec, savedName.value);
      savedText.value = text.value;
      savedName.value = saved.spec.name;
      return saved;
    } catch (e) {
      const error = toApiError(e);
      if (error.fields.length) saveProblems.value = error.fields;
      else notifyError(error);
      return null;
    } finally {
      saving.value = false;
    }
  }

  return {
    text,
    savedName,
    dirty,
    loading,
    loadError,
    saving,
    crlfNote,
    check,
    problems,
    lineProblems,
    previewSteps,
    load,
    save,
  };
}
