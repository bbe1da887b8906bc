// The status language extended to steps: a step can also be skipped (its colour in
// styles/pipeline.css); the rest, waiting included, are the run statuses.
import type { RunStatus } from "@/bindings/RunStatus";
import type { RunStep } from "@/bindings/RunStep";
import type { StepStatus } from "@/bindings/StepStatus";
import { statusColourVar } from "./status";

export const STEP_STATUSES: readonly StepStatus[] = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
  "interrupted",
  "skipped",
];

/** CSS colour of a step status. */
export function stepColourVar(status: StepStatus): string {
  if (status === "skipped") return "var(--status-skipped)";
  return statusColourVar(status as RunStatus);
}

/** The step can still change. */
export function isStepActive(status: StepStatus): boolean {
  return status === "queued" || status === "running" || status === "waiting";
}

/** "3/5": steps that ended, of all. */
export function stepProgress(steps: readonly RunStep[]): { done: number; total: number } {
  return { done: steps.filter((s) => !isStepActive(s.status)).length, total: steps.length };
}

/** The approval steps waiting for an answer. */
export function waitingApprovals(steps: readonly RunStep[]): RunStep[] {
  return steps.filter((s) => s.status === "waiting");
}

/**
 * The question of an approval step from its log line, `Waiting for approval: MESSAGE (scicd
 * approve …)`: the message without the hint in brackets; null when the line is not one.
 */
export function approvalMessage(text: string): string | null {
  const m = /Waiting for approval: ([\s\S]*?)(?: \(scicd approve [\s\S]*\))?$/.exec(text);
  return m ? (m[1] ?? "").trim() : null;
}
