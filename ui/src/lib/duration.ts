// Durations as people read them in CI tools: the two largest units, e.g. `1m 12s`, `2h 5m`, `45s`.

export interface DurationUnits {
  h: string;
  m: string;
  s: string;
  ms: string;
  /** Placed between the two parts ("1m 12s" vs "1分12秒"). */
  sep: string;
}

export const EN_UNITS: DurationUnits = { h: "h", m: "m", s: "s", ms: "ms", sep: " " };

export function formatDuration(ms: number, units: DurationUnits = EN_UNITS): string {
  if (!Number.isFinite(ms) || ms < 0) ms = 0;
  if (ms < 1000) return `${Math.floor(ms)}${units.ms}`;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h}${units.h}${units.sep}${m}${units.m}` : `${h}${units.h}`;
  if (m > 0) return s > 0 ? `${m}${units.m}${units.sep}${s}${units.s}` : `${m}${units.m}`;
  return `${s}${units.s}`;
}

/** Milliseconds a run has taken so far (or took), or null when it has not started. */
export function runDurationMs(
  run: { startedAt: string | null; finishedAt: string | null },
  now: number,
): number | null {
  if (!run.startedAt) return null;
  const start = Date.parse(run.startedAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  if (Number.isNaN(start) || Number.isNaN(end)) return null;
  return Math.max(0, end - start);
}
