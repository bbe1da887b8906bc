// The desktop around the window: the tray's language and the pages the tray or a notification
// click asks the window to show (event `app://navigate`).
import type { NavigateTo } from "@/bindings/NavigateTo";
import { call, isDesktop } from "./invoke";
import { listenEvent } from "./listen";

export const NAVIGATE_EVENT = "app://navigate";

/** The tray menu follows the UI's language. */
export async function traySetLanguage(locale: string): Promise<void> {
  if (!isDesktop()) return;
  await call<null>("tray_set_language", { locale });
}

/** Calls `handler` when the tray or a notification asks for a page. */
export async function onNavigate(handler: (to: NavigateTo) => void): Promise<() => void> {
  if (!isDesktop()) return () => {};
  return listenEvent<NavigateTo>(NAVIGATE_EVENT, handler);
}
