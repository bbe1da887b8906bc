// App commands: deployed stacks, their revisions and live services, and the actions on them. An app
// is named `NAME@ENDPOINT` (see appRef) so that two endpoints running a project of the same name
// never make a call ambiguous.
import type { App } from "@/bindings/App";
import type { AppAction } from "@/bindings/AppAction";
import type { AppDetail } from "@/bindings/AppDetail";
import type { AppDiff } from "@/bindings/AppDiff";
import type { Run } from "@/bindings/Run";
import { call } from "./invoke";

/** The unambiguous handle of an app for the backend: its project name and endpoint. */
export function appRef(app: Pick<App, "name" | "target">): string {
  return `${app.name}@${app.target}`;
}

/** Every app with its newest revision (no live state: see appGet). */
export function appList(): Promise<App[]> {
  return call<App[]>("app_list");
}

/** The app, its revisions (newest first) and its services as they run now. */
export function appGet(name: string): Promise<AppDetail> {
  return call<AppDetail>("app_get", { name });
}

/** Relaunches revision `to` with its images pinned by digest; resolves with the new run. */
export function appRollback(name: string, to: number): Promise<Run> {
  return call<Run>("app_rollback", { name, to });
}

/** Relaunches the current revision (images pulled anew); resolves with the new run. */
export function appRedeploy(name: string): Promise<Run> {
  return call<Run>("app_redeploy", { name });
}

/** Stop, start, restart or down; resolves with what compose said. */
export function appAction(name: string, action: AppAction): Promise<string> {
  return call<string>("app_action", { name, action });
}

/** What differs from revision `from` to revision `to`: images by digest, the configuration as a unified diff. */
export function appDiff(name: string, from: number, to: number): Promise<AppDiff> {
  return call<AppDiff>("app_diff", { name, from, to });
}

/** The last `tail` lines of a service's log. */
export function appLogs(name: string, service: string, tail: number): Promise<string> {
  return call<string>("app_logs", { name, service, tail });
}
