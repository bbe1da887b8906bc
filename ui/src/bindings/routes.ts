// Generated from the route declarations of src-tauri/server/src/v1 by its tests (`cargo test -p
// simple-cicd-server`): do not edit. The same operations as the desktop app's Tauri commands.
//
// How a transport calls operation `op` with the arguments `args` the UI passes to Tauri's invoke:
// - take ROUTES[op]; replace each `{name}` of its path by encodeURIComponent(String(args[name]));
// - GET: every other argument that is not null or undefined becomes a query parameter: strings,
//   numbers and booleans as their text, objects and arrays as JSON text (JSON.stringify);
// - POST, PUT, DELETE: the other arguments are the JSON body (`{}` when there is none);
// - send `Authorization: Bearer <access token>` (not for a route whose scope is null);
// - a 2xx answer's JSON is the result (`null` for commands that return nothing); any other status
//   carries an ApiError JSON ({ code, message, fields }).
// Event streams (kind "events") are Server-Sent Events; EventSource cannot send headers, so they
// take the token as `?access_token=`. `run_events` is what `run_follow` is to the desktop: each
// event's data is a FollowEvent. `events` carries the desktop's Tauri events: the SSE event name
// is the Tauri event name (`run://status`), the data its payload.
// A route of kind "file" answers the file itself (text/plain with a file name), to save.
// DESKTOP_ONLY lists the Tauri commands with no route, and why.

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export type RouteScope = "read" | "run" | "deploy" | "write" | "admin" | null;

export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly scope: RouteScope;
  readonly kind: "json" | "events" | "file";
  /** The arguments' names, as the UI passes them to invoke. */
  readonly args: readonly string[];
}

export const ROUTES = {
  sign_in: { method: "POST", path: "/api/v1/auth/signin", scope: null, kind: "json", args: ["name", "password"] },
  refresh: { method: "POST", path: "/api/v1/auth/refresh", scope: null, kind: "json", args: ["refreshToken"] },
  sign_out: { method: "POST", path: "/api/v1/auth/signout", scope: "read", kind: "json", args: [] },
  me: { method: "GET", path: "/api/v1/me", scope: "read", kind: "json", args: [] },
  run_events: { method: "GET", path: "/api/v1/runs/{id}/events", scope: "read", kind: "events", args: ["id", "fromSeq"] },
  run_log_download: { method: "GET", path: "/api/v1/runs/{id}/log", scope: "read", kind: "file", args: ["id"] },
  events: { method: "GET", path: "/api/v1/events", scope: "read", kind: "events", args: [] },
  app_info: { method: "GET", path: "/api/v1/info", scope: "read", kind: "json", args: [] },
  dashboard_stats: { method: "GET", path: "/api/v1/dashboard", scope: "read", kind: "json", args: [] },
  template_list: { method: "GET", path: "/api/v1/templates", scope: "read", kind: "json", args: [] },
  template_get: { method: "GET", path: "/api/v1/templates/{name}", scope: "read", kind: "json", args: ["name"] },
  template_save: { method: "POST", path: "/api/v1/templates", scope: "write", kind: "json", args: ["spec", "originalName"] },
  template_delete: { method: "DELETE", path: "/api/v1/templates/{name}", scope: "write", kind: "json", args: ["name"] },
  template_export_yaml: { method: "GET", path: "/api/v1/templates/{name}/yaml", scope: "read", kind: "json", args: ["name"] },
  template_import_yaml: { method: "POST", path: "/api/v1/yaml/import", scope: "write", kind: "json", args: ["yaml"] },
  template_parse_yaml: { method: "POST", path: "/api/v1/yaml/parse", scope: "read", kind: "json", args: ["yaml"] },
  example_get: { method: "GET", path: "/api/v1/example", scope: "read", kind: "json", args: [] },
  example_import: { method: "POST", path: "/api/v1/example/import", scope: "write", kind: "json", args: ["repo", "replace"] },
  template_pin: { method: "PUT", path: "/api/v1/templates/{name}/pin", scope: "write", kind: "json", args: ["name", "pinned"] },
  run_start: { method: "POST", path: "/api/v1/runs", scope: "run", kind: "json", args: ["template", "params", "gitRef", "rerunOf"] },
  run_get: { method: "GET", path: "/api/v1/runs/{id}", scope: "read", kind: "json", args: ["id"] },
  run_list: { method: "GET", path: "/api/v1/runs", scope: "read", kind: "json", args: ["filter"] },
  run_cancel: { method: "POST", path: "/api/v1/runs/{id}/cancel", scope: "run", kind: "json", args: ["id"] },
  run_logs: { method: "GET", path: "/api/v1/runs/{id}/logs", scope: "read", kind: "json", args: ["id", "fromSeq", "limit"] },
  run_steps: { method: "GET", path: "/api/v1/runs/{id}/steps", scope: "read", kind: "json", args: ["id"] },
  run_answer: { method: "POST", path: "/api/v1/runs/{id}/answer", scope: "run", kind: "json", args: ["id", "approve", "comment", "step"] },
  run_retry: { method: "POST", path: "/api/v1/runs/{id}/retry", scope: "run", kind: "json", args: ["id", "from"] },
  run_log_search: { method: "GET", path: "/api/v1/runs/{id}/log/search", scope: "read", kind: "json", args: ["id", "query", "limit"] },
  config_list: { method: "GET", path: "/api/v1/settings", scope: "read", kind: "json", args: [] },
  config_set: { method: "PUT", path: "/api/v1/settings/{key}", scope: "admin", kind: "json", args: ["key", "value"] },
  config_unset: { method: "DELETE", path: "/api/v1/settings/{key}", scope: "admin", kind: "json", args: ["key"] },
  smtp_test: { method: "POST", path: "/api/v1/smtp/test", scope: "admin", kind: "json", args: ["to"] },
  secret_list: { method: "GET", path: "/api/v1/secrets", scope: "read", kind: "json", args: [] },
  secret_set: { method: "PUT", path: "/api/v1/secrets/{name}", scope: "write", kind: "json", args: ["name", "value"] },
  secret_delete: { method: "DELETE", path: "/api/v1/secrets/{name}", scope: "write", kind: "json", args: ["name"] },
  storage_usage: { method: "GET", path: "/api/v1/storage", scope: "read", kind: "json", args: [] },
  storage_cleanup: { method: "POST", path: "/api/v1/storage/cleanup", scope: "admin", kind: "json", args: [] },
  endpoint_list: { method: "GET", path: "/api/v1/endpoints", scope: "read", kind: "json", args: [] },
  endpoint_add: { method: "POST", path: "/api/v1/endpoints", scope: "write", kind: "json", args: ["endpoint"] },
  endpoint_test: { method: "POST", path: "/api/v1/endpoints/{name}/test", scope: "read", kind: "json", args: ["name"] },
  endpoint_remove: { method: "DELETE", path: "/api/v1/endpoints/{name}", scope: "write", kind: "json", args: ["name"] },
  registry_list: { method: "GET", path: "/api/v1/registries", scope: "read", kind: "json", args: [] },
  registry_add: { method: "POST", path: "/api/v1/registries", scope: "write", kind: "json", args: ["registry"] },
  registry_test: { method: "POST", path: "/api/v1/registries/{name}/test", scope: "read", kind: "json", args: ["name"] },
  registry_remove: { method: "DELETE", path: "/api/v1/registries/{name}", scope: "write", kind: "json", args: ["name"] },
  cluster_list: { method: "GET", path: "/api/v1/clusters", scope: "read", kind: "json", args: [] },
  cluster_contexts: { method: "GET", path: "/api/v1/kube-contexts", scope: "write", kind: "json", args: [] },
  cluster_add: { method: "POST", path: "/api/v1/clusters", scope: "write", kind: "json", args: ["cluster"] },
  cluster_test: { method: "POST", path: "/api/v1/clusters/{name}/test", scope: "read", kind: "json", args: ["name"] },
  cluster_remove: { method: "DELETE", path: "/api/v1/clusters/{name}", scope: "write", kind: "json", args: ["name"] },
  app_list: { method: "GET", path: "/api/v1/apps", scope: "read", kind: "json", args: [] },
  app_get: { method: "GET", path: "/api/v1/apps/{name}", scope: "read", kind: "json", args: ["name"] },
  app_rollback: { method: "POST", path: "/api/v1/apps/{name}/rollback", scope: "deploy", kind: "json", args: ["name", "to"] },
  app_redeploy: { method: "POST", path: "/api/v1/apps/{name}/redeploy", scope: "deploy", kind: "json", args: ["name"] },
  app_action: { method: "POST", path: "/api/v1/apps/{name}/action", scope: "deploy", kind: "json", args: ["name", "action"] },
  app_logs: { method: "GET", path: "/api/v1/apps/{name}/logs", scope: "read", kind: "json", args: ["name", "service", "tail"] },
  app_recover: { method: "POST", path: "/api/v1/apps/{name}/recover", scope: "deploy", kind: "json", args: ["name"] },
  app_diff: { method: "GET", path: "/api/v1/apps/{name}/diff", scope: "read", kind: "json", args: ["name", "from", "to"] },
  repo_list: { method: "GET", path: "/api/v1/repos", scope: "read", kind: "json", args: [] },
  repo_save: { method: "POST", path: "/api/v1/repos", scope: "write", kind: "json", args: ["input", "replace"] },
  repo_delete: { method: "DELETE", path: "/api/v1/repos/{name}", scope: "write", kind: "json", args: ["name"] },
  repo_test: { method: "POST", path: "/api/v1/repos/{name}/test", scope: "read", kind: "json", args: ["name"] },
  trigger_overview: { method: "GET", path: "/api/v1/templates/{template}/triggers", scope: "read", kind: "json", args: ["template"] },
  cron_preview: { method: "GET", path: "/api/v1/cron/preview", scope: "read", kind: "json", args: ["expression", "count"] },
  webhook_secret_generate: { method: "POST", path: "/api/v1/templates/{template}/webhooks/{provider}/secret", scope: "write", kind: "json", args: ["template", "provider"] },
  server_status: { method: "GET", path: "/api/v1/server", scope: "read", kind: "json", args: [] },
  audit_list: { method: "GET", path: "/api/v1/audit", scope: "read", kind: "json", args: ["filter"] },
  user_list: { method: "GET", path: "/api/v1/users", scope: "admin", kind: "json", args: [] },
  user_add: { method: "POST", path: "/api/v1/users", scope: "admin", kind: "json", args: ["name", "role", "password"] },
  user_update: { method: "PUT", path: "/api/v1/users/{name}", scope: "admin", kind: "json", args: ["name", "role", "disabled", "grants"] },
  user_passwd: { method: "PUT", path: "/api/v1/users/{name}/password", scope: "read", kind: "json", args: ["name", "password"] },
  user_remove: { method: "DELETE", path: "/api/v1/users/{name}", scope: "admin", kind: "json", args: ["name"] },
  token_list: { method: "GET", path: "/api/v1/tokens", scope: "read", kind: "json", args: ["user"] },
  token_create: { method: "POST", path: "/api/v1/tokens", scope: "read", kind: "json", args: ["name", "user", "scopes", "expires"] },
  token_revoke: { method: "DELETE", path: "/api/v1/tokens/{id}", scope: "read", kind: "json", args: ["id"] },
  template_validate: { method: "POST", path: "/api/v1/validate/template", scope: "read", kind: "json", args: ["spec"] },
} as const satisfies Record<string, RouteSpec>;

export type Operation = keyof typeof ROUTES;

export const DESKTOP_ONLY = {
  app_painted: "benchmark marks written into files of the desktop process",
  tray_menu_model: "the desktop tray's menu",
  tray_menu_click: "the desktop tray's menu",
  tray_set_language: "the desktop tray's language",
  run_follow: "a Tauri channel; over HTTP the same events come from GET /api/v1/runs/{id}/events (run_events)",
  run_unfollow: "stops a Tauri channel; over HTTP closing the event stream stops it",
  run_log_save: "writes into the Downloads folder of the desktop; a browser saves GET /api/v1/runs/{id}/log (run_log_download)",
  webhook_secret_reveal: "reads a secret's value back; over HTTP secrets are write-only (generate a new one)",
} as const;

export type DesktopOnlyCommand = keyof typeof DESKTOP_ONLY;
