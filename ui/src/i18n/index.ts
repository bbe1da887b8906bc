// vue-i18n setup: the two complete languages, and how the first language is chosen (a saved
// choice, else the OS locale from app_info, else the browser's language).
import { createI18n } from "vue-i18n";
import en, { type Messages } from "./en";
import zhCN from "./zh-CN";
import errorsEn from "./errors.en";
import errorsZhCN from "./errors.zh-CN";

export const LOCALES = ["en", "zh-CN"] as const;
export type AppLocale = (typeof LOCALES)[number];

/** Maps any BCP 47 tag to a supported locale: every Chinese variant to zh-CN, the rest to en. */
export function normalizeLocale(tag: string | null | undefined): AppLocale {
  return tag && /^zh\b/i.test(tag.replace("_", "-")) ? "zh-CN" : "en";
}

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export const i18n = createI18n<[Messages], AppLocale, false>({
  legacy: false,
  locale: "en",
  fallbackLocale: "en",
  messages: { en, "zh-CN": zhCN },
  missingWarn: false,
  fallbackWarn: false,
});

// Backend errors by code (errors.en.ts / errors.zh-CN.ts), under `apiErrors`; looked up with
// dynamic keys by lib/apiErrorText.ts.
i18n.global.mergeLocaleMessage("en", { apiErrors: errorsEn });
i18n.global.mergeLocaleMessage("zh-CN", { apiErrors: errorsZhCN });
