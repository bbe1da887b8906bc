// Run commands: one typed function per Tauri command, plus the log follower (a Tauri Channel in
// the desktop app, the run's Server-Sent Events in a browser).
import { Channel } from "@tauri-apps/api/core";
import type { FollowEvent } from "@/bindings/FollowEvent";
import type { LogLine } from "@/bindings/LogLine";
import type { LogSearch } from "@/bindings/LogSearch";
import type { Run } from "@/bindings/Run";
import type { RunFilter } from "@/bindings/RunFilter";
import type { RunPage } from "@/bindings/RunPage";
import type { RunStep } from "@/bindings/RunStep";
import { downloadBlob } from "@/lib/download";
import { openStream, type Stream } from "./http/stream";
import { call, httpClient } from "./invoke";

/** The browser's open log streams, by run id. */
const streams = new Map<number, Stream>();

/**
 * Starts a run; `gitRef` checks out another branch, tag or commit than the template's source;
 * `rerunOf` names the run it starts again. The backend sets the trigger from who calls.
 */
export function runStart(
  template: string,
  params: Record<string, string>,
  gitRef: string | null = null,
  rerunOf: number | null = null,
): Promise<Run> {
  return call<Run>("run_start", { template, params, gitRef, rerunOf });
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
 * Resolves once the backend has registered the follower (desktop) or the stream is opening
 * (browser); events keep arriving afterwards.
 */
export async function runFollow(
  id: number,
  fromSeq: number,
  onEvent: (event: FollowEvent) => void,
): Promise<void> {
  const client = httpClient();
  if (client) {
    streams.get(id)?.close();
    let next = fromSeq;
    const stream = openStream(client, {
      // Opened again after a drop, it resumes after the last line received.
      path: () => `/api/v1/runs/${id}/events?fromSeq=${next}`,
      // Each event's data is the FollowEvent the desktop's channel sends; its name, the type.
      events: {
        lines: (data) => {
          const event = data as FollowEvent;
          const last = event.type === "lines" ? event.data.at(-1) : undefined;
          if (last) next = last.seq + 1;
          onEvent(event);
        },
        status: (data) => onEvent(data as FollowEvent),
        end: (data) => {
          stream.close();
          if (streams.get(id) === stream) streams.delete(id);
          onEvent(data as FollowEvent);
        },
      },
    });
    streams.set(id, stream);
    return;
  }
  const channel = new Channel<FollowEvent>();
  channel.onmessage = onEvent;
  await call<null>("run_follow", { id, fromSeq, onEvent: channel });
}

export async function runUnfollow(id: number): Promise<void> {
  const stream = streams.get(id);
  if (stream || httpClient()) {
    stream?.close();
    streams.delete(id);
    return;
  }
  await call<null>("run_unfollow", { id });
}

/** Lines of the whole stored log containing `query` (case-insensitive, ANSI ignored). */
export function runLogSearch(id: number, query: string, limit: number): Promise<LogSearch> {
  return call<LogSearch>("run_log_search", { id, query, limit });
}

/**
 * Saves the whole log (ANSI escapes removed) as `<template>-<number>.log`: into the Downloads
 * folder by the desktop app, resolving with the file's path; in a browser as a download of the
 * browser's own (GET /api/v1/runs/{id}/log), resolving with the file's name.
 */
export async function runLogSave(id: number): Promise<string> {
  const client = httpClient();
  if (!client) return call<string>("run_log_save", { id });
  const { name, blob } = await client.file("run_log_download", { id });
  downloadBlob(name, blob);
  return name;
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
