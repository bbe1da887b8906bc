// State of an app's page: the app as it runs now (app_get), kept fresh while the page is open,
// and its actions. Redeploy and rollback start runs and open the new run's page; stop, start,
// restart and down answer with compose's output, then the page reads the app again.
import { computed, ref } from "vue";
import { useI18n } from "vue-i18n";
import { useRouter } from "vue-router";
import { appAction, appGet, appRedeploy, appRollback, toApiError } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { AppAction } from "@/bindings/AppAction";
import type { AppDetail } from "@/bindings/AppDetail";
import type { Run } from "@/bindings/Run";
import { notifyError, notifySuccess } from "@/lib/feedback";

/** What is in progress on the page: an action, a redeploy, or a rollback to a revision. */
export type Busy = AppAction | "redeploy" | `rollback-${number}` | null;

export function useAppPage(name: () => string) {
  const { t } = useI18n();
  const router = useRouter();
  const detail = ref<AppDetail | null>(null);
  const error = ref<ApiError | null>(null);
  const busy = ref<Busy>(null);
  const loaded = computed(() => detail.value !== null || error.value !== null);

  async function load(): Promise<void> {
    try {
      detail.value = await appGet(name());
      error.value = null;
    } catch (e) {
      error.value = toApiError(e);
    }
  }

  async function launch(what: Busy, start: () => Promise<Run>): Promise<void> {
    if (busy.value) return;
    busy.value = what;
    try {
      const run = await start();
      notifySuccess(
        t("apps.action.started", { name: detail.value?.app.name ?? name(), number: run.number }),
      );
      await router.push({ name: "run", params: { id: String(run.id) } });
    } catch (e) {
      notifyError(e);
    } finally {
      busy.value = null;
    }
  }

  const redeploy = () => launch("redeploy", () => appRedeploy(name()));
  const rollback = (to: number) => launch(`rollback-${to}`, () => appRollback(name(), to));

  async function act(action: AppAction): Promise<void> {
    if (busy.value) return;
    busy.value = action;
    try {
      await appAction(name(), action);
      notifySuccess(t(`apps.action.done.${action}`, { name: detail.value?.app.name ?? name() }));
    } catch (e) {
      notifyError(e);
    } finally {
      busy.value = null;
    }
    await load();
  }

  return { detail, error, loaded, busy, load, redeploy, rollback, act };
}
