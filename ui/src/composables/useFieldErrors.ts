// FieldError translation bound to the current UI language (see lib/fieldErrors.ts).
import { useI18n } from "vue-i18n";
import type { FieldError } from "@/bindings/FieldError";
import { errorsByPath, translateFieldError } from "@/lib/fieldErrors";

export function useFieldErrors() {
  const { t, te, locale } = useI18n();
  const translate = (key: string): string => t(key);
  const has = (key: string): boolean => te(key);
  return {
    text: (error: FieldError): string =>
      translateFieldError(error, translate, has, locale.value === "en"),
    byPath: (errors: readonly FieldError[]): Record<string, string> =>
      errorsByPath(errors, translate, has, locale.value === "en"),
  };
}
