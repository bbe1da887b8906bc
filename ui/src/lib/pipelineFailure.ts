// Why a pipeline run failed, from its steps: the steps whose failure fails the run (as the engine
// decides: failed, timed out, interrupted or cancelled, without continueOnError), and the English
// sentence the engine stores as the run's error for them ("step `a` failed", "steps `a`, `b` and
// `c` failed"). The UI says the same in the user's language when the stored error is that
// sentence, and leaves any other error (a checkout that failed, ...) as the engine wrote it.
import type { RunStep } from "@/bindings/RunStep";
import type { StepStatus } from "@/bindings/StepStatus";

const FAILING: readonly StepStatus[] = ["failed", "timed_out", "interrupted", "cancelled"];

/** The names of the steps that made the run fail, in plan order. */
export function stepsThatFailedTheRun(steps: readonly RunStep[]): string[] {
  return steps.filter((s) => FAILING.includes(s.status) && !s.continueOnError).map((s) => s.name);
}

/** The engine's sentence for those steps (pipeline_outcome in run/pipeline.rs). */
export function engineFailureSentence(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  const last = quoted.at(-1);
  if (quoted.length === 1) return `step ${last} failed`;
  return `steps ${quoted.slice(0, -1).join(", ")} and ${last} failed`;
}

/**
 * The failed steps behind a run's error, when the error is the engine's sentence for them;
 * null when the run failed for another reason (or the steps are not known yet).
 */
export function pipelineFailure(error: string | null, steps: readonly RunStep[]): string[] | null {
  const names = stepsThatFailedTheRun(steps);
  if (!error || names.length === 0) return null;
  return engineFailureSentence(names) === error ? names : null;
}
