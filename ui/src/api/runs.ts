// Run commands: one typed function per Tauri command, plus the Channel-based log follower.
import { Channel } from "@tauri-apps/api/core";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { LogLine } from "@/bindings/LogLine";
import type { LogSearch } from "@/bindings/LogSearch";
import type { Run } from "@/bindings/Run";
import type { RunFilter } from "@/bindings/RunFilter";
import type { RunPage } from "@/bindings/RunPage";
import type { RunStep } from "@/bindings/RunStep";
import { call } from "./invoke";

/** Starts a run; `gitRef` checks out another branch, tag or commit than the template's source. */
export function runStart(
  template: string,
  params: Record<string, string>,
  trigger: string | null,
  gitRef: string | null = null,
): Promise<Run> {
  return call<Run>("run_start", { template, params, trigger, gitRef });
}

export function runGet(id: number): Promise<Run> {
  return call<Run>("run_get", { id });
}

export function runList(filter: RunFilter): Promise<RunPage> {
  return call<RunPage>("run_list", { filter });
}

export function runCancel(id: number): Promise<Run> {
  return call<Run>("run_cancel", { id });
}

/** Lines with seq >= fromSeq, at most `limit` of them. */
export function runLogs(id: number, fromSeq: number, limit: number): Promise<LogLine[]> {
  return call<LogLine[]>("run_logs", { id, fromSeq, limit });
}

/**
 * Streams lines with seq >= fromSeq, status changes and a final `end` event to `onEvent`.
 * Resolves once the backend has registered the follower; events keep arriving afterwards.
 */
export async function runFollow(
  id: number,
  fromSeq: number,
  onEvent: (event: FollowEvent) => void,
): Promise<Channel<FollowEvent>> {
  const channel = new Channel<FollowEvent>();
  channel.onmessage = onEvent;
  await call<null>("run_follow", { id, fromSeq, onEvent: channel });
  return channel;
}

export async function runUnfollow(id: number): Promise<void> {
  await call<null>("run_unfollow", { id });
}

/** Lines of the whole stored log containing `query` (case-insensitive, ANSI ignored). */
export function runLogSearch(id: number, query: string, limit: number): Promise<LogSearch> {
  return call<LogSearch>("run_log_search", { id, query, limit });
}

/** Writes the whole log into the user's Downloads folder; resolves with the file's path. */
export function runLogSave(id: number): Promise<string> {
  return call<string>("run_log_save", { id });
}

/** The steps of a run: a pipeline's graph, or one step for other templates. */
export function runSteps(id: number): Promise<RunStep[]> {
  return call<RunStep[]>("run_steps", { id });
}

/** Retries a failed pipeline run from step `from` (default: its first step that did not succeed). */
export function runRetry(id: number, from: string | null): Promise<Run> {
  return call<Run>("run_retry", { id, from });
}

/** Approves or declines the approval step the run waits on (`step` names it among several). */
export function runAnswer(
  id: number,
  approve: boolean,
  comment: string | null,
  step: string | null = null,
): Promise<RunStep> {
  return call<RunStep>("run_answer", { id, approve, comment, step });
}
