// How an app and its services stand, in the one status language: a tone (its colour and icon)
// and a label key. Health and sync come from app_get (the services as they run now); the list
// shows "checking" until that answer arrives.
import type { AppDetail } from "@/bindings/AppDetail";

/** ok green (check), bad red (cross), warn amber (triangle), busy blue (spinner), muted grey, unknown grey (?). */
export type Tone = "ok" | "bad" | "warn" | "busy" | "muted" | "unknown";

export type AppHealth = "healthy" | "unhealthy" | "unknown" | "down" | "checking";
export type AppSync = "inSync" | "drifted" | "unknown";

export function appHealth(detail: AppDetail | null | undefined): AppHealth {
  if (!detail) return "checking";
  if (detail.servicesError !== null) return "unknown";
  if (detail.services.length === 0) return "down";
  return detail.healthy ? "healthy" : "unhealthy";
}

/** Unknown without the services, or without a deployed revision to compare them with. */
export function appSync(detail: AppDetail | null | undefined): AppSync {
  if (!detail || detail.servicesError !== null) return "unknown";
  if (!detail.revisions.some((r) => r.status === "deployed")) return "unknown";
  return detail.drifted ? "drifted" : "inSync";
}

export const HEALTH_TONE: Record<AppHealth, Tone> = {
  healthy: "ok",
  unhealthy: "bad",
  unknown: "unknown",
  down: "muted",
  checking: "busy",
};

export const SYNC_TONE: Record<AppSync, Tone> = {
  inSync: "ok",
  drifted: "warn",
  unknown: "unknown",
};

export function revisionTone(status: string): Tone {
  return status === "deployed" ? "ok" : status === "failed" ? "bad" : "muted";
}

/** A container's state: running is fine, restarting busy, dead bad, stopped ones grey. */
export function stateTone(state: string): Tone {
  if (state === "running") return "ok";
  if (state === "restarting" || state === "removing") return "busy";
  if (state === "dead") return "bad";
  return "muted";
}

/** A container's healthcheck: empty when it has none. */
export function healthTone(health: string): Tone {
  if (health === "healthy") return "ok";
  if (health === "unhealthy") return "bad";
  if (health === "starting") return "busy";
  return "muted";
}

/** `repo@sha256:0123…` or an image id `sha256:0123…` → `sha256:0123456789ab`. */
export function shortDigest(pinned: string): string {
  const at = pinned.lastIndexOf("@");
  const digest = at >= 0 ? pinned.slice(at + 1) : pinned;
  const m = /^(sha256:)?([0-9a-f]{12})[0-9a-f]*$/.exec(digest);
  return m ? `${m[1] ?? ""}${m[2]}` : digest;
}

/** `rollback to #3` → { kind: "rollback", number: 3 }; `redeploy`; anything else as a run trigger. */
export function parseAppTrigger(
  trigger: string,
):
  | { kind: "rollback"; number: number; by: string | null }
  | { kind: "redeploy"; by: string | null }
  | { kind: "run"; trigger: string } {
  const m = /^rollback to #(\d+)(?: by (.+))?$/.exec(trigger);
  if (m) return { kind: "rollback", number: Number(m[1]), by: m[2] ?? null };
  const r = /^redeploy(?: by (.+))?$/.exec(trigger);
  if (r) return { kind: "redeploy", by: r[1] ?? null };
  return { kind: "run", trigger };
}
