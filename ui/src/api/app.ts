// App-level commands.
import type { AppInfo } from "@/bindings/AppInfo";
import type { DashboardStats } from "@/bindings/DashboardStats";
import { call } from "./invoke";

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** Tells the backend the first page has painted (startup benchmarks read it). */
export async function appPainted(): Promise<void> {
  await call<null>("app_painted");
}

export function dashboardStats(): Promise<DashboardStats> {
  return call<DashboardStats>("dashboard_stats");
}
