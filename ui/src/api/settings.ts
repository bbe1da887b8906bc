// Settings, secrets and storage commands: one typed function per Tauri command. Secret values
// (and the SMTP password, a setting kept in the keyring) only ever travel towards the backend;
// nothing here can read one back.
import type { CleanupReport } from "@/bindings/CleanupReport";
import type { SecretInfo } from "@/bindings/SecretInfo";
import type { Setting } from "@/bindings/Setting";
import type { SmtpAnswer } from "@/bindings/SmtpAnswer";
import type { StorageUsage } from "@/bindings/StorageUsage";
import { call } from "./invoke";

export function configList(): Promise<Setting[]> {
  return call<Setting[]>("config_list");
}

/** Sets a setting from its text form; an out-of-range value rejects with code `invalid`. */
export function configSet(key: string, value: string): Promise<Setting> {
  return call<Setting>("config_set", { key, value });
}

/** Back to the default; for a password, removes it from the keyring. */
export function configUnset(key: string): Promise<Setting> {
  return call<Setting>("config_unset", { key });
}

/** Sends a test e-mail; the answer carries the SMTP server's exact words. */
export function smtpTest(to: string): Promise<SmtpAnswer> {
  return call<SmtpAnswer>("smtp_test", { to });
}

export function secretList(): Promise<SecretInfo[]> {
  return call<SecretInfo[]>("secret_list");
}

/** Stores (or replaces) a secret's value; a missing or locked keyring rejects with `keyring`. */
export function secretSet(name: string, value: string): Promise<SecretInfo> {
  return call<SecretInfo>("secret_set", { name, value });
}

export async function secretDelete(name: string): Promise<void> {
  await call<null>("secret_delete", { name });
}

export function storageUsage(): Promise<StorageUsage> {
  return call<StorageUsage>("storage_usage");
}

/** Applies the retention settings now. */
export function storageCleanup(): Promise<CleanupReport> {
  return call<CleanupReport>("storage_cleanup");
}
