// The HTTP routes of the Tauri commands, by command name, as the server declares them
// (ui/src/bindings/routes.ts is generated from its route table): op → method, path with
// `{camelCaseArg}` parameters, scope; and the commands that exist only in the desktop app.
import {
  DESKTOP_ONLY as DESKTOP_ONLY_WHY,
  ROUTES as GENERATED,
  type RouteSpec,
} from "@/bindings/routes";

export type { HttpMethod, RouteSpec } from "@/bindings/routes";

export const ROUTES: Readonly<Record<string, RouteSpec>> = GENERATED;

/** Commands that only make sense next to a desktop (tray, the window, the Downloads folder). */
export const DESKTOP_ONLY: readonly string[] = Object.keys(DESKTOP_ONLY_WHY);
