// Asks before leaving a page with unsaved changes: in-app navigation through the router, and
// closing or reloading the window through beforeunload.
import { onBeforeUnmount, onMounted } from "vue";
import { useI18n } from "vue-i18n";
import { onBeforeRouteLeave, onBeforeRouteUpdate } from "vue-router";
import { confirmAction } from "@/lib/feedback";

export function useUnsavedGuard(isDirty: () => boolean): void {
  const { t } = useI18n();

  const ask = async () =>
    !isDirty() ||
    (await confirmAction({
      title: t("editor.leaveTitle"),
      message: t("editor.leaveMessage"),
      confirmText: t("editor.leaveConfirm"),
      cancelText: t("editor.stay"),
      danger: true,
    }));

  onBeforeRouteLeave(ask);
  onBeforeRouteUpdate(ask);

  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!isDirty()) return;
    event.preventDefault();
    event.returnValue = "";
  };
  onMounted(() => window.addEventListener("beforeunload", onBeforeUnload));
  onBeforeUnmount(() => window.removeEventListener("beforeunload", onBeforeUnload));
}
