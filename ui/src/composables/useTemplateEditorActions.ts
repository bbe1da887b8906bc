// What both template editors (the form and the pipeline YAML) do from their header: run (saving
// first when there are unsaved changes), duplicate, and delete after a confirmation. `deleted`
// tells the unsaved-changes guard that leaving after a delete needs no question.
import type { Ref } from "vue";
import { useI18n } from "vue-i18n";
import { useRouter } from "vue-router";
import { useConfirmedRemove } from "@/lib/confirmedRemove";
import { useRunLauncherStore } from "@/stores/runLauncher";
import { useTemplateStore } from "@/stores/templates";

export function useTemplateEditorActions(
  savedName: Readonly<Ref<string | null>>,
  dirty: Readonly<Ref<boolean>>,
  save: () => Promise<boolean>,
) {
  const router = useRouter();
  const launcher = useRunLauncherStore();
  let deleted = false;

  async function run(): Promise<void> {
    if (dirty.value && !(await save())) return;
    if (savedName.value) await launcher.launch(savedName.value);
  }

  const confirmed = useConfirmedTemplateRemove(() => {
    deleted = true;
    void router.push({ name: "templates" });
  });

  async function remove(): Promise<void> {
    if (savedName.value) await confirmed.remove(savedName.value);
  }

  function duplicate(): void {
    if (savedName.value)
      void router.push({ name: "template-new", query: { from: savedName.value } });
  }

  return { run, remove, duplicate, wasDeleted: () => deleted };
}

/** Deleting a template after asking (the editors and the templates list): `after` runs once it is gone. */
export function useConfirmedTemplateRemove(after?: (name: string) => void) {
  const { t } = useI18n();
  const templates = useTemplateStore();
  return useConfirmedRemove({
    remove: (name) => templates.remove(name),
    title: () => t("templates.deleteTitle"),
    message: (name) => t("templates.deleteMessage", { name }),
    removed: (name) => t("templates.deleted", { name }),
    after,
  });
}
