// A backend error in the user's language: the translation of its code (with its params) when the
// UI knows the code, else the backend's English message. The English message is kept as `detail`
// for a "Details" expander, so nothing the backend said is lost.
import type { ApiError } from "@/bindings/ApiError";
import { i18n } from "@/i18n";

export interface ErrorView {
  /** A few words for a table cell ("Cannot reach"), or null when the code has none. */
  short: string | null;
  /** The sentence to show: translated when possible. */
  text: string;
  /** The backend's own message, when it differs from `text` (shown behind "Details"). */
  detail: string | null;
}

function translatedParams(e: ApiError): Record<string, string> {
  const params: Record<string, string> = { ...e.params };
  const what = params.what;
  if (what && i18n.global.te(`apiErrors.what.${what}`))
    params.what = i18n.global.t(`apiErrors.what.${what}`);
  return params;
}

export function errorView(e: ApiError): ErrorView {
  const { t, te } = i18n.global;
  const shortKey = `apiErrors.short.${e.code}`;
  const textKey = `apiErrors.text.${e.code}`;
  const short = te(shortKey) ? t(shortKey) : null;
  const text = te(textKey) ? t(textKey, translatedParams(e)) : e.message;
  return { short, text, detail: text === e.message ? null : e.message };
}
