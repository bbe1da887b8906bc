// App-wide Tauri events. Subscribing outside the desktop app is a no-op.
import { listen } from "@tauri-apps/api/event";
import type { Run } from "@/bindings/Run";
import { hasBackend } from "./invoke";

export const RUN_STATUS_EVENT = "run://status";

/** Calls `handler` on every status change of runs owned by this desktop process. */
export async function onRunStatus(handler: (run: Run) => void): Promise<() => void> {
  if (!hasBackend()) return () => {};
  try {
    return await listen<Run>(RUN_STATUS_EVENT, (event) => handler(event.payload));
  } catch {
    return () => {};
  }
}
