// Settings and the SMTP test of the development fake backend: the keys the Settings page edits,
// with the backend's types and defaults. A password is stored as "set" only, like the keyring.
import type { Setting } from "@/bindings/Setting";
import type { SettingInput } from "@/bindings/SettingInput";
import type { SmtpAnswer } from "@/bindings/SmtpAnswer";

type Spec = [key: string, input: SettingInput, value: Setting["value"]];

const SPECS: Spec[] = [
  ["notify.desktop", { type: "bool" }, true],
  ["notify.doNotDisturb", { type: "bool" }, false],
  ["smtp.host", { type: "text" }, ""],
  ["smtp.port", { type: "int", data: { min: 1, max: 65535 } }, 587],
  ["smtp.security", { type: "choice", data: ["none", "starttls", "tls"] }, "starttls"],
  ["smtp.acceptInvalidCerts", { type: "bool" }, false],
  ["smtp.username", { type: "text" }, ""],
  ["smtp.password", { type: "secret" }, null],
  ["smtp.from", { type: "mailbox" }, ""],
  ["triggers.paused", { type: "bool" }, false],
  ["app.closeToTray", { type: "bool" }, true],
  ["app.startAtLogin", { type: "bool" }, false],
];

export function fakeConfig() {
  const settings = new Map<string, Setting>(
    SPECS.map(([key, input, value]) => [
      key,
      { key, value, default: value, isSet: false, description: key, input },
    ]),
  );
  const find = (key: unknown): Setting => {
    const s = settings.get(String(key));
    if (!s) throw { code: "invalid", message: `unknown setting ${String(key)}`, fields: [] };
    return s;
  };
  return {
    list: () => [...settings.values()],
    set: (key: unknown, value: unknown): Setting => {
      const s = find(key);
      const text = String(value);
      const parsed =
        s.input.type === "bool"
          ? text === "true"
          : s.input.type === "int"
            ? Number(text)
            : s.input.type === "secret"
              ? null
              : text;
      Object.assign(s, { value: parsed, isSet: true });
      return s;
    },
    unset: (key: unknown): Setting =>
      Object.assign(find(key), { value: find(key).default, isSet: false }),
    smtpTest: (to: unknown): SmtpAnswer => {
      if (!/^[^\s@]+@[^\s@]+$/.test(String(to)))
        throw {
          code: "invalid",
          message: "not an address",
          fields: [
            { path: "to", code: "invalid", message: `\`${String(to)}\` is not an e-mail address` },
          ],
        };
      const host = settings.get("smtp.host")?.value;
      return host
        ? { accepted: true, message: "250 OK" }
        : { accepted: false, message: "no SMTP server is set: set smtp.host" };
    },
  };
}
