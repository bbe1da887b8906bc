// Formatting in the current UI language: durations (`1m 12s` / `1分12秒`), numbers, dates, log
// clock times and relative times.
import { computed } from "vue";
import { useI18n } from "vue-i18n";
import { formatDuration, type DurationUnits } from "@/lib/duration";
import {
  formatClock,
  formatDateTime,
  formatNumber,
  formatRelative,
  formatShortDateTime,
} from "@/lib/time";

export function useFormat() {
  const { t, locale } = useI18n();
  const units = computed<DurationUnits>(() => ({
    h: t("duration.h"),
    m: t("duration.m"),
    s: t("duration.s"),
    ms: t("duration.ms"),
    sep: t("duration.sep"),
  }));
  return {
    duration: (ms: number | null): string =>
      ms === null ? t("common.none") : formatDuration(ms, units.value),
    number: (n: number): string => formatNumber(n, locale.value),
    dateTime: (iso: string | number): string => formatDateTime(iso, locale.value),
    shortDateTime: (iso: string | number): string => formatShortDateTime(iso, locale.value),
    clock: (ms: number): string => formatClock(ms, locale.value),
    relative: (iso: string, now: number): string => formatRelative(iso, now, locale.value),
  };
}
