// The desktop around the window: the tray's language and the pages the tray or a notification
// click asks the window to show (event `app://navigate`).
import { listen } from "@tauri-apps/api/event";
import type { NavigateTo } from "@/bindings/NavigateTo";
import { call, hasBackend } from "./invoke";

export const NAVIGATE_EVENT = "app://navigate";

/** The tray menu follows the UI's language. */
export async function traySetLanguage(locale: string): Promise<void> {
  if (!hasBackend()) return;
  await call<null>("tray_set_language", { locale });
}

/** Calls `handler` when the tray or a notification asks for a page. */
export async function onNavigate(handler: (to: NavigateTo) => void): Promise<() => void> {
  if (!hasBackend()) return () => {};
  try {
    return await listen<NavigateTo>(NAVIGATE_EVENT, (event) => handler(event.payload));
  } catch {
    return () => {};
  }
}
