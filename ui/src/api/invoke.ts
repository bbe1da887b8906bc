// The one door to Tauri's IPC: every command goes through `call`, which rejects with an ApiError.
// Outside the desktop app (plain browser) it rejects at once with code `no_backend`.
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { NO_BACKEND, toApiError } from "./errors";

export function hasBackend(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  if (!hasBackend()) {
    throw {
      code: NO_BACKEND,
      message: "The simple-cicd backend is not available: open this page in the desktop app.",
      fields: [],
    };
  }
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toApiError(error);
  }
}
