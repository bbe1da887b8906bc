// Settings commands: the registry of typed keys (notifications, SMTP, tray, start at login) and
// the SMTP test. A password setting is written, never read back (`isSet` tells).
import type { Setting } from "@/bindings/Setting";
import type { SmtpAnswer } from "@/bindings/SmtpAnswer";
import { call } from "./invoke";

export function configList(): Promise<Setting[]> {
  return call<Setting[]>("config_list");
}

/** Sets a setting from its text form (`true`, `587`, `starttls`). */
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
