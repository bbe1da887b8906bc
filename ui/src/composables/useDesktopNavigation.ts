// Pages asked for from outside the window: a click on a notification or on a run in the tray
// opens the run's page, an app in the tray its page; a quick run of a template with parameters
// opens its run form.
import { onMounted, onUnmounted } from "vue";
import { onNavigate } from "@/api";
import type { NavigateTo } from "@/bindings/NavigateTo";
import router from "@/router";
import { useRunLauncherStore } from "@/stores/runLauncher";

export function useDesktopNavigation(): void {
  const launcher = useRunLauncherStore();
  let stop: (() => void) | null = null;
  let unmounted = false;

  function go(to: NavigateTo): void {
    if (to.type === "run") void router.push({ name: "run", params: { id: String(to.data.id) } });
    else if (to.type === "app") void router.push({ name: "app", params: { name: to.data.name } });
    else if (to.type === "apps") void router.push({ name: "apps" });
    else void launcher.launch(to.data.template, { alwaysAsk: true });
  }

  onMounted(async () => {
    const unlisten = await onNavigate(go);
    if (unmounted) unlisten();
    else stop = unlisten;
  });
  onUnmounted(() => {
    unmounted = true;
    stop?.();
  });
}
