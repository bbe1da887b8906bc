// Starting a run from anywhere (template list, quick picker, editor, run page): a template whose
// run asks for input (the engine's `needsForm`, the rule the tray follows too) opens the one run
// form dialog (mounted in App.vue); one without starts at once. The
// form also takes a branch, tag or commit for a template with a git source. On success the run
// page opens.
import { defineStore } from "pinia";
import { ref, shallowRef } from "vue";
import { templateGet } from "@/api";
import type { Template } from "@/bindings/Template";
import { notifyError } from "@/lib/feedback";
import router from "@/router";
import { useRunStore } from "./runs";

interface LaunchOptions {
  /** Values to prefill instead of the defaults (a previous run's params). */
  preset?: Record<string, string>;
  /** Open the form even when the template has no parameters. */
  alwaysAsk?: boolean;
  /** The run this one starts again (Re-run), recorded in its trigger by the backend. */
  rerunOf?: number | null;
  /** Branch, tag or commit to prefill, for a template with a git source (a previous run's). */
  gitRef?: string | null;
}

export const useRunLauncherStore = defineStore("runLauncher", () => {
  const dialogOpen = ref(false);
  /** The Ctrl/Cmd+K quick picker. */
  const pickerOpen = ref(false);
  const template = shallowRef<Template | null>(null);
  const preset = ref<Record<string, string>>({});
  const rerunOf = ref<number | null>(null);
  /** The ref prefilled in the form (""; the template's own ref). */
  const presetRef = ref("");
  /** Name of the template being prepared or started (buttons show a spinner). */
  const busy = ref<string | null>(null);

  async function start(
    name: string,
    params: Record<string, string>,
    gitRef: string | null = null,
    again: number | null = null,
  ) {
    busy.value = name;
    try {
      const run = await useRunStore().start(name, params, gitRef, again);
      dialogOpen.value = false;
      await router.push({ name: "run", params: { id: String(run.id) } });
      return run;
    } finally {
      busy.value = null;
    }
  }

  async function launch(name: string, options: LaunchOptions = {}): Promise<void> {
    busy.value = name;
    try {
      const loaded = await templateGet(name);
      if (!loaded.needsForm && !options.alwaysAsk) {
        await start(name, {}, null, options.rerunOf ?? null);
        return;
      }
      template.value = loaded;
      preset.value = options.preset ?? {};
      presetRef.value = options.gitRef ?? "";
      rerunOf.value = options.rerunOf ?? null;
      dialogOpen.value = true;
    } catch (error) {
      notifyError(error);
    } finally {
      busy.value = null;
    }
  }

  /** Run `id` of template `name` again: same parameters, same ref. */
  async function rerun(
    name: string,
    params: Record<string, string>,
    id: number,
    gitRef: string | null = null,
  ): Promise<void> {
    try {
      await start(name, params, gitRef, id);
    } catch (error) {
      notifyError(error);
    }
  }

  function close(): void {
    dialogOpen.value = false;
  }

  return {
    dialogOpen,
    pickerOpen,
    template,
    preset,
    presetRef,
    busy,
    launch,
    start,
    rerun,
    close,
    rerunOf,
  };
});
