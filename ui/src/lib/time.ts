// Locale-aware date/number formatting with cached Intl formatters (creating them is costly and the
// log view formats many timestamps per frame).

const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

export function formatDateTime(iso: string | number, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return cached(
    `dt:${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" }),
  ).format(date);
}

/** `18:40:00.123` in the user's locale, for log timestamps. */
export function formatClock(ms: number, locale: string): string {
  return cached(
    `clock:${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        fractionalSecondDigits: 3,
        hour12: false,
      }),
  ).format(new Date(ms));
}

/** `Sat, 5 Dec, 03:00` / `12月5日周六 03:00`: a near date and time, e.g. a schedule's next runs. */
export function formatShortDateTime(iso: string | number, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return cached(
    `short:${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        weekday: "short",
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
        hour12: false,
      }),
  ).format(date);
}

export function formatNumber(n: number, locale: string): string {
  return cached(`num:${locale}`, () => new Intl.NumberFormat(locale)).format(n);
}

const STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 30],
];

/** "3 minutes ago", "now", "yesterday"; older than a month falls back to the date. */
export function formatRelative(iso: string, now: number, locale: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const rtf = cached(
    `rel:${locale}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "long" }),
  );
  let value = (time - now) / 1000;
  if (Math.abs(value) < 10) return rtf.format(0, "second");
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return cached(
    `date:${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium" }),
  ).format(new Date(time));
}
