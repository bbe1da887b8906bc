// The window title names the page: `hello #12 · simple-cicd`. Pages set their part with
// useWindowTitle; App.vue runs useWindowTitleSync once, which writes document.title and, in the
// desktop app, the native window title.
import { getCurrentWindow } from "@tauri-apps/api/window";
import { onBeforeUnmount, ref, watchEffect } from "vue";
import { useI18n } from "vue-i18n";
import { useRoute } from "vue-router";
import { isDesktop } from "@/api";

const pageTitle = ref<string | null>(null);
let owner = 0;

export const APP_TITLE = "simple-cicd";

export function fullTitle(page: string | null): string {
  return page ? `${page} · ${APP_TITLE}` : APP_TITLE;
}

/** Sets this page's part of the window title while the calling component is mounted. */
export function useWindowTitle(source: () => string | null): void {
  const me = ++owner;
  const stop = watchEffect(() => {
    if (owner === me) pageTitle.value = source();
  });
  onBeforeUnmount(() => {
    stop();
    if (owner === me) pageTitle.value = null;
  });
}

async function setNativeTitle(title: string): Promise<void> {
  if (!isDesktop()) return;
  try {
    await getCurrentWindow().setTitle(title);
  } catch {
    // Not fatal: the permission may be missing or the window gone; document.title still shows.
  }
}

export function useWindowTitleSync(): void {
  const route = useRoute();
  const { t } = useI18n();
  watchEffect(() => {
    const key = route.meta.titleKey;
    const title = fullTitle(pageTitle.value ?? (key ? t(key) : null));
    document.title = title;
    void setNativeTitle(title);
  });
}
