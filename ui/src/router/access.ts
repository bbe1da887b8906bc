// The browser's route guard: every page but sign-in needs a session (restored from the tab's
// refresh token after a reload); a session that ends by itself (refresh refused) leads back to
// sign-in, which says why and returns to the page afterwards. Browser-only pages do not exist in
// the desktop app.
import type { Router } from "vue-router";
import { httpClient, isBrowser } from "@/api";
import { useAuthStore } from "@/stores/auth";

export function installAccessGuard(router: Router): void {
  const browser = isBrowser();
  router.beforeEach(async (to) => {
    if (!browser)
      return to.meta.browserOnly
        ? { name: "not-found", params: { pathMatch: to.path.slice(1).split("/") } }
        : true;
    if (to.meta.public) return true;
    const auth = useAuthStore();
    if (await auth.resume()) return true;
    return { name: "signin", query: to.fullPath === "/" ? {} : { next: to.fullPath } };
  });
  httpClient()?.onSessionEnd((end) => {
    useAuthStore().sessionEnded(end);
    const here = router.currentRoute.value;
    if (!here.meta.public) {
      void router.push({ name: "signin", query: { next: here.fullPath } });
    }
  });
}
