// Where the Settings page shows each backend setting: its section, the id of its translated texts
// (settings.field.<id>) and the unit after its input. Presentation only: what a setting accepts
// (its type, range, choices) is the engine's `Setting.input`, and the engine checks every value;
// its refusal is shown in the user's language from that same `input`. Keys the UI does not list
// here are shown generically, so new backend settings appear without changes.
import type { FieldError } from "@/bindings/FieldError";
import type { SettingInput } from "@/bindings/SettingInput";

export type SettingSection = "runs" | "retention" | "secrets" | "triggers";

export interface SettingPlace {
  section: SettingSection;
  /** Key of its texts under settings.field.<id> (label, help). */
  id: string;
  /** Unit shown after the input (settings.unit.<unit>). */
  unit?: "runs" | "seconds" | "days" | "kib" | "entries";
}

export const SETTING_PLACES: Readonly<Record<string, SettingPlace>> = {
  "runs.maxParallel": { section: "runs", id: "maxParallel", unit: "runs" },
  "runs.cancelGraceSeconds": { section: "runs", id: "cancelGraceSeconds", unit: "seconds" },
  "retention.maxRunsPerTemplate": { section: "retention", id: "maxRunsPerTemplate", unit: "runs" },
  "retention.maxAgeDays": { section: "retention", id: "maxAgeDays", unit: "days" },
  "retention.maxAuditEntries": { section: "retention", id: "maxAuditEntries", unit: "entries" },
  "secrets.backend": { section: "secrets", id: "secretsBackend" },
  "server.enabled": { section: "triggers", id: "serverEnabled" },
  "server.listen": { section: "triggers", id: "serverListen" },
  "triggers.paused": { section: "triggers", id: "triggersPaused" },
  "webhooks.maxBodyKiB": { section: "triggers", id: "maxBodyKiB", unit: "kib" },
};

/** Keys with a section of their own (Desktop, E-mail): not listed among the other settings. */
export const DEDICATED_SETTINGS: ReadonlySet<string> = new Set([
  "notify.desktop",
  "notify.doNotDisturb",
  "app.closeToTray",
  "app.startAtLogin",
  "smtp.host",
  "smtp.port",
  "smtp.security",
  "smtp.acceptInvalidCerts",
  "smtp.caFile",
  "smtp.username",
  "smtp.password",
  "smtp.from",
]);

/** A translated sentence for the engine's refusal of a value, when its input says enough. */
export interface SettingRefusal {
  key: string;
  params: Record<string, string | number>;
}

/**
 * The engine refused `key`'s value as `invalid`: a whole number out of range, or a word that is
 * not a choice, said from the setting's own `input` so it reads in the user's language. Null for
 * everything else (the engine's own message is shown).
 */
export function settingRefusal(
  input: SettingInput,
  error: FieldError | undefined,
): SettingRefusal | null {
  if (error?.code !== "invalid") return null;
  if (input.type === "int")
    return { key: "settings.errors.int", params: { min: input.data.min, max: input.data.max } };
  if (input.type === "choice")
    return { key: "settings.errors.choice", params: { options: input.data.join(", ") } };
  return null;
}

/** The value of a setting as text for an input. */
export function settingText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
