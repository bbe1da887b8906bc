// Helm app commands: getting a release out of pending-*.
import type { Run } from "@/bindings/Run";
import { call } from "./invoke";

/**
 * Recovers a release stuck in pending-*: resolves with the rollback run it started, or null when
 * a first install that never completed was uninstalled.
 */
export function appRecover(name: string): Promise<Run | null> {
  return call<Run | null>("app_recover", { name });
}
