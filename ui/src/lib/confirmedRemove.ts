// Removing a named item after asking: the confirmation, `busy` (the name being removed, for the
// row's spinner), a success toast, or the backend's error as a toast.
import { ref } from "vue";
import { useI18n } from "vue-i18n";
import { confirmAction, notifyError, notifySuccess } from "@/lib/feedback";

export interface ConfirmedRemoveOptions {
  /** Does the removal; a rejection is shown as an error toast. */
  remove: (name: string) => Promise<void>;
  title: () => string;
  message: (name: string) => string;
  /** The success toast. */
  removed: (name: string) => string;
  /** Runs after a successful removal, before the toast. */
  after?: (name: string) => void;
}

export function useConfirmedRemove(options: ConfirmedRemoveOptions) {
  const { t } = useI18n();
  const busy = ref<string | null>(null);

  async function remove(name: string): Promise<void> {
    const ok = await confirmAction({
      title: options.title(),
      message: options.message(name),
      confirmText: t("common.delete"),
      danger: true,
    });
    if (!ok) return;
    busy.value = name;
    try {
      await options.remove(name);
      options.after?.(name);
      notifySuccess(options.removed(name));
    } catch (e) {
      notifyError(e);
    } finally {
      busy.value = null;
    }
  }

  return { busy, remove };
}
