// The one status language: order, which statuses are still active, and their colour variables.
// Icons live in components/run/RunStatusIcon.vue; labels in i18n (status.<name>).
import type { RunStatus } from "@/bindings/RunStatus";

export const ALL_STATUSES: readonly RunStatus[] = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "interrupted",
];

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === "string" && (ALL_STATUSES as readonly string[]).includes(value);
}

/** Queued, running or waiting (for an approval): the run can still change, be cancelled, and its duration ticks. */
export function isActive(status: RunStatus): boolean {
  return status === "queued" || status === "running" || status === "waiting";
}

/** CSS variable carrying the status colour (defined in styles/status.css for light and dark). */
export function statusColourVar(status: RunStatus): string {
  return `var(--status-${status.replace("_", "-")})`;
}
