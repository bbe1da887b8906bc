// State of the template editor: the spec being edited, what was last saved (for "unsaved
// changes"), loading it for new/edit/duplicate/example, and saving it. The rules are the
// engine's alone: its field errors come from a check as one types (useTemplateCheck) and from a
// refused save. One UI-only choice about showing them: an empty required field is not flagged
// before the first attempt to save (a blank form is not an error); invalid input shows at once.
import { computed, ref, type Ref } from "vue";
import { useI18n } from "vue-i18n";
import { templateGet, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { FieldError } from "@/bindings/FieldError";
import type { Template } from "@/bindings/Template";
import type { TemplateSpec } from "@/bindings/TemplateSpec";
import { notifyError } from "@/lib/feedback";
import { normalizeNewlines, copyName, uniqueName } from "@/lib/text";
import {
  blankComposeSpec,
  blankHelmSpec,
  blankSpec,
  cleanSpec,
  helloSpec,
} from "@/lib/templateSpec";
import { useTemplateStore } from "@/stores/templates";
import { useFieldErrors } from "./useFieldErrors";
import { useTemplateCheck } from "./useTemplateCheck";

export type EditorSource =
  | { kind: "new"; compose?: boolean; helm?: boolean }
  | { kind: "example" }
  | { kind: "duplicate"; from: string }
  | { kind: "edit"; name: string };

export function useTemplateForm() {
  const { t } = useI18n();
  const fieldErrors = useFieldErrors();
  const store = useTemplateStore();
  // Typed as Ref<TemplateSpec>: unwrapping the recursive JsonValue type is too deep for TS.
  const spec = ref<unknown>(blankSpec()) as Ref<TemplateSpec>;
  /** Name under which the template is saved; null while it is new. */
  const savedName = ref<string | null>(null);
  const snapshot = ref(JSON.stringify(spec.value));
  const loading = ref(false);
  const loadError = ref<ApiError | null>(null);
  const saving = ref(false);
  const attempted = ref(false);
  const crlfNote = ref(false);
  const check = useTemplateCheck(() => cleanSpec(spec.value));

  const dirty = computed(() => JSON.stringify(spec.value) !== snapshot.value);
  const shownErrors = computed<FieldError[]>(() =>
    check.errors.value.filter((e) => attempted.value || e.code !== "required"),
  );
  const errors = computed(() => fieldErrors.byPath(shownErrors.value));
  /** What blocks saving, for the Save button to list. */
  const problems = computed(() => (attempted.value ? shownErrors.value : []));

  function reset(next: TemplateSpec, name: string | null, blank = blankSpec()): void {
    const script = normalizeNewlines(next.script);
    crlfNote.value = script.changed;
    spec.value = { ...next, script: script.text };
    savedName.value = name;
    // A new template is unsaved work as soon as it differs from blank (example, duplicate); a
    // loaded one whose CRLF script was converted has a change worth saving.
    snapshot.value = JSON.stringify(name === null ? blank : next);
    attempted.value = false;
    check.clear();
  }

  async function load(source: EditorSource): Promise<void> {
    loadError.value = null;
    if (source.kind === "new") {
      if (source.helm) return reset(blankHelmSpec(), null, blankHelmSpec());
      return source.compose
        ? reset(blankComposeSpec(), null, blankComposeSpec())
        : reset(blankSpec(), null);
    }
    if (source.kind === "example") {
      if (!store.loaded) await store.refresh();
      const name = uniqueName("hello", store.names);
      return reset(helloSpec(name, t("example.description"), t("example.whoDescription")), null);
    }
    loading.value = true;
    try {
      const name = source.kind === "edit" ? source.name : source.from;
      const template: Template = await templateGet(name);
      if (source.kind === "edit") reset(template.spec, template.spec.name);
      else {
        if (!store.loaded) await store.refresh();
        reset({ ...template.spec, name: copyName(template.spec.name, store.names) }, null);
      }
    } catch (e) {
      loadError.value = toApiError(e);
    } finally {
      loading.value = false;
    }
  }

  /** Saves when valid; returns the saved template, or null (errors are then shown). */
  async function save(): Promise<Template | null> {
    attempted.value = true;
    saving.value = true;
    try {
      const saved = await store.save(cleanSpec(spec.value), savedName.value);
      reset(saved.spec, saved.spec.name);
      return saved;
    } catch (e) {
      const error = toApiError(e);
      if (error.fields.length) check.take(error.fields);
      else notifyError(error);
      return null;
    } finally {
      saving.value = false;
    }
  }

  return {
    spec,
    savedName,
    dirty,
    loading,
    loadError,
    saving,
    /** An engine check of the latest edit is on its way. */
    checking: check.checking,
    errors,
    /** The errors shown, untranslated (the compose file's carry their line). */
    fieldErrors: shownErrors,
    problems,
    crlfNote,
    load,
    save,
  };
}
