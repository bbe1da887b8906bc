//! The known settings, their types, ranges and defaults.

use crate::error::{Error, Result};

/// The type of a setting's value.
#[derive(Debug, Clone, Copy)]
pub enum SettingKind {
    /// An integer in `min..=max`.
    Int {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Any text.
    Text,
    /// `true` or `false` (`on`/`off`, `yes`/`no`, `1`/`0` are understood).
    Bool,
    /// An e-mail sender, `ci@example.com` or `simple-cicd <ci@example.com>`.
    Mailbox,
    /// A value kept in the secret store under this reserved name, never in SQLite; the settings
    /// table only records that it is set.
    Secret(&'static str),
    /// A socket address to listen on, `IP:PORT`.
    Listen,
}

impl SettingKind {
    /// Parses the text form of a value for `key`.
    pub fn parse(self, key: &str, text: &str) -> Result<serde_json::Value> {
        let text = text.trim();
        match self {
            SettingKind::Int { min, max } => match text.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.into()),
                _ => Err(Error::invalid(
                    key,
                    "invalid",
                    format!("{key} must be a whole number from {min} to {max}; `{text}` is not"),
                )),
            },
            SettingKind::Choice(words) => {
                if words.contains(&text) {
                    Ok(text.into())
                } else {
                    Err(Error::invalid(
                        key,
                        "invalid",
                        format!("{key} must be one of: {}; `{text}` is not", words.join(", ")),
                    ))
                }
            }
            SettingKind::Text => Ok(text.into()),
            SettingKind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "on" | "yes" | "1" => Ok(true.into()),
                "false" | "off" | "no" | "0" => Ok(false.into()),
                _ => Err(Error::invalid(key, "invalid", format!("{key} is true or false; `{text}` is neither"))),
            },
            SettingKind::Mailbox => match text.parse::<lettre::message::Mailbox>() {
                Ok(_) => Ok(text.into()),
                Err(e) => Err(Error::invalid(
                    key,
                    "invalid",
                    format!("{key} must be an e-mail address such as ci@example.com or `simple-cicd <ci@example.com>`; `{text}` is not ({e})"),
                )),
            },
            SettingKind::Secret(_) if text.is_empty() => {
                Err(Error::invalid(key, "required", format!("{key} is empty; to remove it, unset it")))
            }
            SettingKind::Secret(_) => Ok(text.into()),
            SettingKind::Listen => match text.parse::<std::net::SocketAddr>() {
                Ok(addr) => Ok(addr.to_string().into()),
                Err(_) => Err(Error::invalid(
                    key,
                    "invalid",
                    format!("{key} is an address and port such as 127.0.0.1:8750 or 0.0.0.0:8750; `{text}` is not"),
                )),
            },
        }
    }
}

/// One known setting.
pub struct SettingSpec {
    /// Its key.
    pub key: &'static str,
    /// Its type.
    pub kind: SettingKind,
    /// Its default value.
    pub default: fn() -> serde_json::Value,
    /// What it does, for `scicd config list` and the UI.
    pub description: &'static str,
}

/// The CPU cores this process may use, found once (Rust asks the cgroup files each time).
fn cores() -> serde_json::Value {
    static CORES: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    (*CORES.get_or_init(|| std::thread::available_parallelism().map_or(2, |n| n.get() as i64))).into()
}

/// Every setting simple-cicd knows.
pub static REGISTRY: &[SettingSpec] = &[
    SettingSpec {
        key: "runs.maxParallel",
        kind: SettingKind::Int { min: 1, max: 256 },
        default: cores,
        description: "How many runs may execute at once, across the desktop app and scicd; the others wait as queued (default: the number of CPU cores)",
    },
    SettingSpec {
        key: "runs.cancelGraceSeconds",
        kind: SettingKind::Int { min: 0, max: 3600 },
        default: || 10.into(),
        description: "Seconds between SIGTERM and SIGKILL when a run is cancelled or times out",
    },
    SettingSpec {
        key: "retention.maxRunsPerTemplate",
        kind: SettingKind::Int { min: 0, max: 1_000_000 },
        default: || 500.into(),
        description: "Keep at most this many finished runs per template; older ones, their logs and workspaces are removed (0: no limit)",
    },
    SettingSpec {
        key: "retention.maxAgeDays",
        kind: SettingKind::Int { min: 0, max: 36_500 },
        default: || 0.into(),
        description: "Remove finished runs older than this many days (0: keep them whatever their age)",
    },
    SettingSpec {
        key: "retention.maxAuditEntries",
        kind: SettingKind::Int { min: 0, max: 100_000_000 },
        default: || 100_000.into(),
        description: "Keep the newest this many entries of the audit log; older ones are removed (0: keep every entry)",
    },
    SettingSpec {
        key: "secrets.backend",
        kind: SettingKind::Choice(&["keyring", "file"]),
        default: || "keyring".into(),
        description: "Where secret values live: the OS keyring, or (headless machines) a file encrypted with the key in $SIMPLE_CICD_SECRETS_KEY",
    },
    SettingSpec {
        key: "kube.kubectl",
        kind: SettingKind::Text,
        default: || "".into(),
        description: "The kubectl that tests and uses clusters, e.g. /usr/local/bin/kubectl (empty: kubectl on PATH)",
    },
    SettingSpec {
        key: "kube.helm",
        kind: SettingKind::Text,
        default: || "".into(),
        description: "The helm (3 or 4) that deploys Helm charts, e.g. /usr/local/bin/helm (empty: helm on PATH)",
    },
    SettingSpec {
        key: "kube.kubeconfig",
        kind: SettingKind::Text,
        default: || "".into(),
        description: "The kubeconfig file(s) whose contexts clusters use, `:`-separated like $KUBECONFIG (empty: $KUBECONFIG, else ~/.kube/config)",
    },
    SettingSpec {
        key: "notify.desktop",
        kind: SettingKind::Bool,
        default: || true.into(),
        description: "Desktop notifications when runs end, as the templates' notify rules ask (false: none at all)",
    },
    SettingSpec {
        key: "notify.doNotDisturb",
        kind: SettingKind::Bool,
        default: || false.into(),
        description: "Do not disturb: hold back desktop notifications (e-mails are still sent)",
    },
    SettingSpec {
        key: "smtp.host",
        kind: SettingKind::Text,
        default: || "".into(),
        description: "The SMTP server that sends e-mails, e.g. smtp.example.com (empty: no e-mails)",
    },
    SettingSpec {
        key: "smtp.port",
        kind: SettingKind::Int { min: 1, max: 65_535 },
        default: || 587.into(),
        description: "The SMTP server's port: usually 587 with starttls, 465 with tls, 25 with none",
    },
    SettingSpec {
        key: "smtp.security",
        kind: SettingKind::Choice(&["none", "starttls", "tls"]),
        default: || "starttls".into(),
        description: "How the connection is encrypted: starttls (upgrade after connecting), tls (from the start) or none",
    },
    SettingSpec {
        key: "smtp.acceptInvalidCerts",
        kind: SettingKind::Bool,
        default: || false.into(),
        description: "Accept a TLS certificate that is self-signed or expired (only for a server you trust on a network you trust)",
    },
    SettingSpec {
        key: "smtp.caFile",
        kind: SettingKind::Text,
        default: || "".into(),
        description: "A PEM file with the certificate authority that signed the SMTP server's certificate (a company or home CA), trusted besides the system's (empty: the system's only)",
    },
    SettingSpec {
        key: "smtp.username",
        kind: SettingKind::Text,
        default: || "".into(),
        description: "The SMTP login (empty: send without logging in)",
    },
    SettingSpec {
        key: "smtp.password",
        kind: SettingKind::Secret(SMTP_PASSWORD_SECRET),
        default: || serde_json::Value::Null,
        description: "The SMTP password, kept in the secret store (secrets.backend); `scicd config set smtp.password` reads it from standard input",
    },
    SettingSpec {
        key: "smtp.from",
        kind: SettingKind::Mailbox,
        default: || "".into(),
        description: "The sender of the e-mails, e.g. `simple-cicd <ci@example.com>` (empty: the SMTP login, when it is an address)",
    },
    SettingSpec {
        key: "server.enabled",
        kind: SettingKind::Bool,
        default: || true.into(),
        description: "Whether the desktop app runs the HTTP server that receives webhooks (scicd serve always does)",
    },
    SettingSpec {
        key: "server.listen",
        kind: SettingKind::Listen,
        default: || "127.0.0.1:8750".into(),
        description: "Address and port of the HTTP server. Webhooks from a forge need an address it can reach (e.g. 0.0.0.0:8750); the API answers only requests addressed to localhost whatever the address",
    },
    SettingSpec {
        key: "apps.watchSeconds",
        kind: SettingKind::Int { min: 0, max: 86400 },
        default: || 60.into(),
        description: "How often the desktop app and scicd serve compare each app with its current revision (health, drift) and tell you of a change; 0 turns the watch off",
    },
    SettingSpec {
        key: "apps.keepRevisions",
        kind: SettingKind::Int { min: 1, max: 10_000 },
        default: || 10.into(),
        description: "Retention keeps the last this many successful revisions of each app, and the runs that launched them, whatever retention.* says; older revisions are removed",
    },
    SettingSpec {
        key: "triggers.paused",
        kind: SettingKind::Bool,
        default: || false.into(),
        description: "Pause automatic triggers: webhooks are answered 503 and polling and cron do not fire until resumed",
    },
    SettingSpec {
        key: "app.closeToTray",
        kind: SettingKind::Bool,
        default: || true.into(),
        description: "Closing the desktop window keeps simple-cicd running in the tray (where there is a tray)",
    },
    SettingSpec {
        key: "app.startAtLogin",
        kind: SettingKind::Bool,
        default: || false.into(),
        description: "Start the desktop app when you log in",
    },
    SettingSpec {
        key: "webhooks.maxBodyKiB",
        kind: SettingKind::Int { min: 16, max: 25_600 },
        default: || 1024.into(),
        description: "Largest webhook body accepted, in KiB; a larger one is refused (413) without being read",
    },
];

/// The reserved name of the SMTP password in the secret store.
pub const SMTP_PASSWORD_SECRET: &str = "simple-cicd.smtp-password";
