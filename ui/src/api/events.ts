// App-wide run events, over Tauri events in the desktop app and SSE in a browser.
import type { Run } from "@/bindings/Run";
import { listenEvent } from "./listen";

export const RUN_STATUS_EVENT = "run://status";

/** Calls `handler` on every status change of a run. */
export function onRunStatus(handler: (run: Run) => void): Promise<() => void> {
  return listenEvent<Run>(RUN_STATUS_EVENT, handler);
}
