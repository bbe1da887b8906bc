// What both template editors (the form and the pipeline YAML) do from their header: run (saving
// first when there are unsaved changes), duplicate, and delete after a confirmation. `deleted`
// tells the unsaved-changes guard that leaving after a delete needs no question.
import type { Ref } from "vue";
import { useI18n } from "vue-i18n";
import { useRouter } from "vue-router";
import { confirmAction, notifyError, notifySuccess } from "@/lib/feedback";
import { useRunLauncherStore } from "@/stores/runLauncher";
import { useTemplateStore } from "@/stores/templates";

export function useTemplateEditorActions(
  savedName: Readonly<Ref<string | null>>,
  dirty: Readonly<Ref<boolean>>,
  save: () => Promise<boolean>,
) {
  const { t } = useI18n();
  const router = useRouter();
  const launcher = useRunLauncherStore();
  const templates = useTemplateStore();
  let deleted = false;

  async function run(): Promise<void> {
    if (dirty.value && !(await save())) return;
    if (savedName.value) await launcher.launch(savedName.value);
  }

  async function remove(): Promise<void> {
    const name = savedName.value;
    if (!name) return;
    const ok = await confirmAction({
      title: t("templates.deleteTitle"),
      message: t("templates.deleteMessage", { name }),
      confirmText: t("common.delete"),
      danger: true,
    });
    if (!ok) return;
    try {
      await templates.remove(name);
      deleted = true;
      notifySuccess(t("templates.deleted", { name }));
      await router.push({ name: "templates" });
    } catch (e) {
      notifyError(e);
    }
  }

  function duplicate(): void {
    if (savedName.value)
      void router.push({ name: "template-new", query: { from: savedName.value } });
  }

  return { run, remove, duplicate, wasDeleted: () => deleted };
}
