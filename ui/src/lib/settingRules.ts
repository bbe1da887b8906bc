// What the UI knows about the backend's settings: which section each known key belongs to, its
// translated label (settings.field.<id>), and its type and range, so a wrong value is caught
// before it is sent. The backend checks again and its message is shown when it disagrees. Keys
// the UI does not know yet are shown generically, so new backend settings appear without changes.

export type SettingSection = "runs" | "retention" | "secrets" | "triggers";

export type SettingKind =
  | { type: "int"; min: number; max: number }
  | { type: "choice"; options: readonly string[] }
  | { type: "text" };

export interface KnownSetting {
  section: SettingSection;
  /** Key of its texts under settings.field.<id> (label, help). */
  id: string;
  kind: SettingKind;
  /** Unit shown after the input (settings.unit.<unit>). */
  unit?: "runs" | "seconds" | "days" | "kib";
}

export const KNOWN_SETTINGS: Readonly<Record<string, KnownSetting>> = {
  "runs.maxParallel": {
    section: "runs",
    id: "maxParallel",
    kind: { type: "int", min: 1, max: 256 },
    unit: "runs",
  },
  "runs.cancelGraceSeconds": {
    section: "runs",
    id: "cancelGraceSeconds",
    kind: { type: "int", min: 0, max: 3600 },
    unit: "seconds",
  },
  "retention.maxRunsPerTemplate": {
    section: "retention",
    id: "maxRunsPerTemplate",
    kind: { type: "int", min: 0, max: 1_000_000 },
    unit: "runs",
  },
  "retention.maxAgeDays": {
    section: "retention",
    id: "maxAgeDays",
    kind: { type: "int", min: 0, max: 36_500 },
    unit: "days",
  },
  "secrets.backend": {
    section: "secrets",
    id: "secretsBackend",
    kind: { type: "choice", options: ["keyring", "file"] },
  },
  "server.enabled": {
    section: "triggers",
    id: "serverEnabled",
    kind: { type: "choice", options: ["true", "false"] },
  },
  "server.listen": { section: "triggers", id: "serverListen", kind: { type: "text" } },
  "triggers.paused": {
    section: "triggers",
    id: "triggersPaused",
    kind: { type: "choice", options: ["true", "false"] },
  },
  "webhooks.maxBodyKiB": {
    section: "triggers",
    id: "maxBodyKiB",
    kind: { type: "int", min: 16, max: 25_600 },
    unit: "kib",
  },
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

/** A yes/no setting: shown as a switch, like every other yes/no on the Settings page. */
export function isYesNo(kind: SettingKind | undefined): boolean {
  return (
    kind?.type === "choice" &&
    kind.options.length === 2 &&
    kind.options.includes("true") &&
    kind.options.includes("false")
  );
}

/** Why a value is refused, as a translation key and its parameters. */
export interface SettingProblem {
  key: string;
  params: Record<string, string | number>;
}

/** Checks the text form of a value before it is sent; null when it may be sent. */
export function checkSetting(key: string, text: string): SettingProblem | null {
  const known = KNOWN_SETTINGS[key];
  const value = text.trim();
  if (!known || known.kind.type === "text") return null;
  if (known.kind.type === "choice") {
    return known.kind.options.includes(value)
      ? null
      : { key: "settings.errors.choice", params: { options: known.kind.options.join(", ") } };
  }
  const { min, max } = known.kind;
  const whole = /^[+-]?\d+$/.test(value);
  const n = Number(value);
  if (value === "" || !whole || n < min || n > max) {
    return { key: "settings.errors.int", params: { min, max } };
  }
  return null;
}

/** The value of a setting as text for an input. */
export function settingText(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
