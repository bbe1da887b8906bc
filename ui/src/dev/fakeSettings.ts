// Settings, secrets and storage of the development fake backend. The settings registry mirrors the
// backend's (ranges, defaults, messages) plus one key the UI has no special control for, to show
// how unknown settings render. `?keyring=locked` or `?keyring=missing` makes every secret
// change fail the way a real locked or absent keyring does.
import type { Run } from "@/bindings/Run";
import type { SecretInfo } from "@/bindings/SecretInfo";
import type { Setting } from "@/bindings/Setting";
import type { SettingInput } from "@/bindings/SettingInput";
import type { JsonValue } from "@/bindings/serde_json/JsonValue";
import { isActive } from "@/lib/status";
import { fail } from "./fakeFail";

type Args = Record<string, unknown>;
type Kind =
  { int: [number, number] } | { choice: string[] } | "text" | "bool" | "mailbox" | "secret";
interface Spec {
  key: string;
  kind: Kind;
  default: JsonValue;
  description: string;
}

const REGISTRY: Spec[] = [
  {
    key: "runs.maxParallel",
    kind: { int: [1, 256] },
    default: navigator.hardwareConcurrency || 4,
    description:
      "How many runs may execute at once, across the desktop app and scicd; the others wait as queued (default: the number of CPU cores)",
  },
  {
    key: "runs.cancelGraceSeconds",
    kind: { int: [0, 3600] },
    default: 10,
    description: "Seconds between SIGTERM and SIGKILL when a run is cancelled or times out",
  },
  {
    key: "retention.maxRunsPerTemplate",
    kind: { int: [0, 1_000_000] },
    default: 500,
    description:
      "Keep at most this many finished runs per template; older ones, their logs and workspaces are removed (0: no limit)",
  },
  {
    key: "retention.maxAgeDays",
    kind: { int: [0, 36_500] },
    default: 0,
    description: "Remove finished runs older than this many days (0: keep them whatever their age)",
  },
  {
    key: "secrets.backend",
    kind: { choice: ["keyring", "file"] },
    default: "keyring",
    description:
      "Where secret values live: the OS keyring, or (headless machines) a file encrypted with the key in $SIMPLE_CICD_SECRETS_KEY",
  },
  ...(
    [
      ["notify.desktop", "bool", true, "Desktop notifications when runs end"],
      ["notify.doNotDisturb", "bool", false, "Do not disturb: hold back desktop notifications"],
      ["smtp.host", "text", "", "The SMTP server that sends e-mails"],
      ["smtp.port", { int: [1, 65_535] }, 587, "The SMTP server's port"],
      ["smtp.security", { choice: ["none", "starttls", "tls"] }, "starttls", "Encryption"],
      ["smtp.acceptInvalidCerts", "bool", false, "Accept a self-signed TLS certificate"],
      ["smtp.caFile", "text", "", "A PEM file with the certificate authority to trust"],
      ["smtp.username", "text", "", "The SMTP login"],
      [
        "smtp.password",
        "secret",
        null,
        "The SMTP password, kept in the secret store (secrets.backend)",
      ],
      ["smtp.from", "mailbox", "", "The sender of the e-mails"],
      ["triggers.paused", "bool", false, "Pause triggers"],
      ["app.closeToTray", "bool", true, "Closing the window keeps simple-cicd in the tray"],
      ["app.startAtLogin", "bool", false, "Start the desktop app when you log in"],
    ] as const
  ).map(([key, kind, value, description]) => ({
    key,
    kind: kind as Kind,
    default: value as JsonValue,
    description,
  })),
  {
    key: "server.listen",
    kind: "text",
    default: "127.0.0.1:8750",
    description: "Address the webhook server listens on (host:port)",
  },
  {
    key: "server.enabled",
    kind: { choice: ["true", "false"] },
    default: "true",
    description: "Whether the desktop app runs the HTTP server that receives webhooks",
  },
  {
    key: "webhooks.maxBodyKiB",
    kind: { int: [16, 25_600] },
    default: 1024,
    description: "Largest webhook body accepted, in KiB",
  },
];

const KEYRING_ERRORS: Record<string, string> = {
  locked:
    "the keyring is locked: unlock it (log in to your desktop session, or `gnome-keyring-daemon --unlock`) and try again. On a headless machine use the encrypted file instead: `scicd config set secrets.backend file` and export SIMPLE_CICD_SECRETS_KEY=<a long passphrase>. Keyring said: Platform secure storage failure: the collection is locked",
  missing:
    "no keyring is reachable: install and start a Secret Service provider (gnome-keyring or KeePassXC) inside a desktop or D-Bus session. On a headless machine use the encrypted file instead: `scicd config set secrets.backend file` and export SIMPLE_CICD_SECRETS_KEY=<a long passphrase>. Keyring said: The name org.freedesktop.secrets was not provided by any .service files",
};

function parse(spec: Spec, text: string): JsonValue {
  const value = text.trim();
  const kind = spec.kind;
  if (kind === "text" || kind === "secret") return value;
  if (kind === "bool") return value === "true";
  if (kind === "mailbox") {
    if (/^[^\s@]+@[^\s@>]+>?$/.test(value.split("<").pop() ?? "")) return value;
    const message = `${spec.key} must be an e-mail address such as ci@example.com`;
    throw fail("invalid", message, [{ path: spec.key, code: "invalid", message }]);
  }
  if ("choice" in kind) {
    if (kind.choice.includes(value)) return value;
    throw fail(
      "invalid",
      `${spec.key} must be one of: ${kind.choice.join(", ")}; \`${value}\` is not`,
      [
        {
          path: spec.key,
          code: "invalid",
          message: `${spec.key} must be one of: ${kind.choice.join(", ")}`,
        },
      ],
    );
  }
  const [min, max] = kind.int;
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  const message = `${spec.key} must be a whole number from ${min} to ${max}; \`${value}\` is not`;
  throw fail("invalid", `invalid input: ${spec.key}: ${message}`, [
    { path: spec.key, code: "invalid", message },
  ]);
}

export function settingsHandlers(
  runs: Run[],
  empty: boolean,
): Record<string, (a: Args) => unknown> {
  const params = new URLSearchParams(location.search);
  const keyring = KEYRING_ERRORS[params.get("keyring") ?? ""];
  const values = new Map<string, JsonValue>();
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const secrets: SecretInfo[] = empty
    ? []
    : [
        { name: "deploy-token", backend: "keyring", updatedAt: ago(3 * 86_400_000) },
        { name: "npm-token", backend: "keyring", updatedAt: ago(5 * 60_000) },
        { name: "ssh-deploy-key", backend: "file", updatedAt: ago(40 * 86_400_000) },
      ];
  const input = (kind: Kind): SettingInput =>
    typeof kind === "string"
      ? { type: kind }
      : "int" in kind
        ? { type: "int", data: { min: kind.int[0], max: kind.int[1] } }
        : { type: "choice", data: kind.choice };
  const setting = (spec: Spec): Setting => ({
    key: spec.key,
    // A password is never read back, like the keyring-backed setting of the real backend.
    value: spec.kind === "secret" ? null : (values.get(spec.key) ?? spec.default),
    default: spec.default,
    isSet: values.has(spec.key),
    description: spec.description,
    input: input(spec.kind),
  });
  const spec = (key: unknown) => {
    const s = REGISTRY.find((x) => x.key === key);
    if (!s) throw fail("invalid", `unknown setting ${String(key)}`);
    return s;
  };
  const checkName = (name: string) => {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name))
      throw fail("invalid", "invalid input", [
        {
          path: "name",
          code: "invalid",
          message: "a secret name holds 1 to 128 letters, digits, '_', '-' or '.'",
        },
      ]);
  };
  const intValue = (key: string) => Number(values.get(key) ?? spec(key).default);

  return {
    config_list: () => REGISTRY.map(setting),
    config_set: (a) => {
      const s = spec(a.key);
      values.set(s.key, parse(s, String(a.value)));
      return setting(s);
    },
    config_unset: (a) => {
      const s = spec(a.key);
      values.delete(s.key);
      return setting(s);
    },
    smtp_test: (a) => {
      const to = String(a.to);
      if (!/^[^\s@]+@[^\s@]+$/.test(to))
        throw fail("invalid", "invalid input", [
          { path: "to", code: "invalid", message: `\`${to}\` is not an e-mail address` },
        ]);
      return values.get("smtp.host")
        ? { accepted: true, message: "250 OK" }
        : { accepted: false, message: "no SMTP server is set: set smtp.host" };
    },
    secret_list: () => [...secrets].sort((x, y) => x.name.localeCompare(y.name)),
    secret_set: (a) => {
      const name = String(a.name);
      checkName(name);
      if (!String(a.value ?? ""))
        throw fail("invalid", "invalid input", [
          { path: "value", code: "required", message: "the secret's value is empty" },
        ]);
      if (keyring) throw fail("keyring", keyring);
      const backend = String(values.get("secrets.backend") ?? "keyring");
      const info = { name, backend, updatedAt: new Date().toISOString() };
      const at = secrets.findIndex((s) => s.name === name);
      if (at >= 0) secrets.splice(at, 1, info);
      else secrets.push(info);
      return info;
    },
    secret_delete: (a) => {
      const at = secrets.findIndex((s) => s.name === a.name);
      if (at < 0) throw fail("not_found", `there is no secret ${String(a.name)}`);
      if (keyring) throw fail("keyring", keyring);
      secrets.splice(at, 1);
      return null;
    },
    storage_usage: () => {
      const logBytes = runs.reduce((sum, r) => sum + r.logLines * 74, 0);
      return {
        logBytes,
        workspaceBytes: runs.length * 28_500_000,
        gitCacheBytes: 41_800_000,
        databaseBytes: Math.round(logBytes * 1.35) + 2_400_000,
        runCount: runs.length,
      };
    },
    storage_cleanup: () => {
      const keep = intValue("retention.maxRunsPerTemplate");
      const days = intValue("retention.maxAgeDays");
      const seen = new Map<string, number>();
      const removed = runs.filter((r) => {
        if (isActive(r.status)) return false;
        const n = (seen.get(r.template) ?? 0) + 1;
        seen.set(r.template, n);
        const old = days > 0 && Date.parse(r.queuedAt) < Date.now() - days * 86_400_000;
        return (keep > 0 && n > keep) || old;
      });
      for (const r of removed) runs.splice(runs.indexOf(r), 1);
      return {
        removedRuns: removed.length,
        freedWorkspaceBytes: removed.length * 28_500_000,
        removedRevisions: 0,
      };
    },
  };
}
