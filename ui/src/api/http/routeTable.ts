// The HTTP routes of the Tauri commands, by command name: until the server generates
// ui/src/bindings/routes.ts from its ROUTES table, this hand-made table of the routes that exist
// has the same shape (op → method, path with `{camelCaseArg}` parameters, scope) and is replaced
// by a re-export of the generated one.
import type { Scope } from "@/bindings/Scope";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  /** What the caller must hold; null: no sign-in needed. */
  scope: Scope | null;
}

export const ROUTES: Readonly<Record<string, RouteSpec>> = {
  sign_in: { method: "POST", path: "/api/v1/auth/signin", scope: null },
  refresh: { method: "POST", path: "/api/v1/auth/refresh", scope: null },
  sign_out: { method: "POST", path: "/api/v1/auth/signout", scope: "read" },
  me: { method: "GET", path: "/api/v1/me", scope: "read" },
  dashboard_stats: { method: "GET", path: "/api/v1/dashboard", scope: "read" },
  template_list: { method: "GET", path: "/api/v1/templates", scope: "read" },
  template_get: { method: "GET", path: "/api/v1/templates/{name}", scope: "read" },
  run_list: { method: "GET", path: "/api/v1/runs", scope: "read" },
  run_start: { method: "POST", path: "/api/v1/runs", scope: "run" },
  run_get: { method: "GET", path: "/api/v1/runs/{id}", scope: "read" },
  run_cancel: { method: "POST", path: "/api/v1/runs/{id}/cancel", scope: "run" },
  run_logs: { method: "GET", path: "/api/v1/runs/{id}/logs", scope: "read" },
  run_steps: { method: "GET", path: "/api/v1/runs/{id}/steps", scope: "read" },
  run_answer: { method: "POST", path: "/api/v1/runs/{id}/answer", scope: "run" },
  run_retry: { method: "POST", path: "/api/v1/runs/{id}/retry", scope: "run" },
  app_list: { method: "GET", path: "/api/v1/apps", scope: "read" },
  app_get: { method: "GET", path: "/api/v1/apps/{name}", scope: "read" },
  app_rollback: { method: "POST", path: "/api/v1/apps/{name}/rollback", scope: "deploy" },
  app_redeploy: { method: "POST", path: "/api/v1/apps/{name}/redeploy", scope: "deploy" },
  user_list: { method: "GET", path: "/api/v1/users", scope: "admin" },
  user_add: { method: "POST", path: "/api/v1/users", scope: "admin" },
  // Not in the server's table yet (asked for): the engine's user_update, user_remove, user_passwd.
  user_update: { method: "PUT", path: "/api/v1/users/{name}", scope: "admin" },
  user_remove: { method: "DELETE", path: "/api/v1/users/{name}", scope: "admin" },
  user_passwd: { method: "PUT", path: "/api/v1/users/{name}/password", scope: "read" },
  token_list: { method: "GET", path: "/api/v1/tokens", scope: "read" },
  token_create: { method: "POST", path: "/api/v1/tokens", scope: "read" },
  token_revoke: { method: "DELETE", path: "/api/v1/tokens/{id}", scope: "read" },
  audit_list: { method: "GET", path: "/api/v1/audit", scope: "read" },
};

/** Commands that only make sense next to a desktop (tray, the window, the Downloads folder). */
export const DESKTOP_ONLY: readonly string[] = [
  "app_painted",
  "tray_menu_model",
  "tray_menu_click",
  "tray_set_language",
  "run_follow",
  "run_unfollow",
  "run_log_save",
];
