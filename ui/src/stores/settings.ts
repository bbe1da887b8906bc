// User preferences (language, theme, sidebar, log view options), persisted in localStorage, and
// the app's own facts from app_info. Applying a preference to the page (html.dark, lang, the
// i18n locale) happens here so that every screen sees the same state.
import { defineStore } from "pinia";
import { computed, ref, watch } from "vue";
import { appInfo, isDesktop, toApiError, traySetLanguage } from "@/api";
import type { ApiError } from "@/bindings/ApiError";
import type { AppInfo } from "@/bindings/AppInfo";
import { i18n, isAppLocale, normalizeLocale, type AppLocale } from "@/i18n";
import { readStored, writeStored } from "@/lib/storage";

export type ThemeMode = "light" | "dark" | "system";
export const THEME_MODES: readonly ThemeMode[] = ["light", "dark", "system"];

const KEY = {
  locale: "scicd.locale",
  theme: "scicd.theme",
  sidebar: "scicd.sidebarCollapsed",
  logWrap: "scicd.log.wrap",
  logTimestamps: "scicd.log.timestamps",
};

function storedBool(key: string): boolean {
  return readStored(key) === "1";
}

function prefersDark(): MediaQueryList | null {
  return typeof window !== "undefined" && window.matchMedia
    ? window.matchMedia("(prefers-color-scheme: dark)")
    : null;
}

export const useSettingsStore = defineStore("settings", () => {
  const savedLocale = readStored(KEY.locale);
  const locale = ref<AppLocale>(
    isAppLocale(savedLocale)
      ? savedLocale
      : normalizeLocale(typeof navigator !== "undefined" ? navigator.language : "en"),
  );
  const localeChosen = ref(isAppLocale(savedLocale));

  const savedTheme = readStored(KEY.theme);
  const theme = ref<ThemeMode>(THEME_MODES.find((m) => m === savedTheme) ?? "system");
  const media = prefersDark();
  const systemDark = ref(media?.matches ?? false);
  media?.addEventListener("change", (e) => (systemDark.value = e.matches));
  const isDark = computed(() =>
    theme.value === "system" ? systemDark.value : theme.value === "dark",
  );

  const sidebarCollapsed = ref(storedBool(KEY.sidebar));
  const logWrap = ref(storedBool(KEY.logWrap));
  const logTimestamps = ref(storedBool(KEY.logTimestamps));

  const info = ref<AppInfo | null>(null);
  const infoError = ref<ApiError | null>(null);

  function setLocale(next: AppLocale): void {
    locale.value = next;
    localeChosen.value = true;
    writeStored(KEY.locale, next);
  }

  function toggleLocale(): void {
    setLocale(locale.value === "en" ? "zh-CN" : "en");
  }

  function setTheme(next: ThemeMode): void {
    theme.value = next;
    writeStored(KEY.theme, next);
  }

  function nextTheme(): ThemeMode {
    const i = THEME_MODES.indexOf(theme.value);
    return THEME_MODES[(i + 1) % THEME_MODES.length] ?? "system";
  }

  async function loadInfo(): Promise<void> {
    try {
      info.value = await appInfo();
      infoError.value = null;
      // The server's OS locale says nothing about a browser's user: there, the browser's language.
      if (!localeChosen.value && isDesktop()) locale.value = normalizeLocale(info.value.locale);
    } catch (error) {
      infoError.value = toApiError(error);
    }
  }

  watch(
    locale,
    (value) => {
      i18n.global.locale.value = value;
      if (typeof document !== "undefined") document.documentElement.lang = value;
      // The tray is a native menu: it follows the language the user chose here.
      traySetLanguage(value).catch(() => {});
    },
    { immediate: true },
  );
  watch(
    isDark,
    (dark) => {
      if (typeof document === "undefined") return;
      document.documentElement.classList.toggle("dark", dark);
      document.documentElement.style.colorScheme = dark ? "dark" : "light";
    },
    { immediate: true },
  );
  watch(sidebarCollapsed, (v) => writeStored(KEY.sidebar, v ? "1" : "0"));
  watch(logWrap, (v) => writeStored(KEY.logWrap, v ? "1" : "0"));
  watch(logTimestamps, (v) => writeStored(KEY.logTimestamps, v ? "1" : "0"));

  return {
    locale,
    theme,
    isDark,
    sidebarCollapsed,
    logWrap,
    logTimestamps,
    info,
    infoError,
    setLocale,
    toggleLocale,
    setTheme,
    nextTheme,
    loadInfo,
  };
});
