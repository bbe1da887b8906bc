// App-level commands.
import type { AppInfo } from "@/bindings/AppInfo";
import type { DashboardStats } from "@/bindings/DashboardStats";
import { call } from "./invoke";

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/**
 * Tells the backend something has painted, for benchmarks: without a mark, the first page of the
 * app; with one, an instrumented view (`run-log-painted`, `live-lines <lines/s> <slow frames>`).
 */
export async function appPainted(mark?: string): Promise<void> {
  await call<null>("app_painted", mark === undefined ? undefined : { mark });
}

export function dashboardStats(): Promise<DashboardStats> {
  return call<DashboardStats>("dashboard_stats");
}
