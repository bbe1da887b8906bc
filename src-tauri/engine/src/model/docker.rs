//! Docker endpoints and registries as the UI and the CLI see them, and the `push` part of a
//! docker-build template. Keys, certificates and passwords are never part of these types: they live
//! in the keyring and only the engine reads them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How an endpoint is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum EndpointKind {
    /// A local socket, `unix:///var/run/docker.sock`.
    Unix,
    /// `tcp://host:port` without TLS.
    Tcp,
    /// `tcp://host:port` with TLS client certificates.
    Tls,
    /// `ssh://user@host[:port]`, through the host's `docker system dial-stdio`.
    Ssh,
}

impl EndpointKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Unix => "unix",
            EndpointKind::Tcp => "tcp",
            EndpointKind::Tls => "tls",
            EndpointKind::Ssh => "ssh",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<EndpointKind> {
        [EndpointKind::Unix, EndpointKind::Tcp, EndpointKind::Tls, EndpointKind::Ssh]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A Docker Engine simple-cicd can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Endpoint {
    /// What templates call it (`endpoint: NAME`); `local` is the local socket.
    pub name: String,
    /// `unix:///...`, `tcp://host:port` or `ssh://user@host`.
    pub url: String,
    /// How it is reached.
    pub kind: EndpointKind,
    /// The built-in local socket (it cannot be removed).
    pub builtin: bool,
    /// Whether an SSH private key is stored for it (otherwise ssh uses the user's own keys/agent).
    pub has_ssh_key: bool,
    /// RFC 3339; null for the built-in endpoint.
    pub created_at: Option<String>,
}

/// What a new endpoint is made of. Certificates and keys are PEM text (the CLI reads them from the
/// files it is given); they go to the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct NewEndpoint {
    /// Its name.
    pub name: String,
    /// Its URL.
    pub url: String,
    /// CA certificate (PEM) the daemon's certificate must be signed by.
    pub tls_ca: Option<String>,
    /// Client certificate (PEM).
    pub tls_cert: Option<String>,
    /// Client private key (PEM).
    pub tls_key: Option<String>,
    /// SSH private key (OpenSSH PEM) for `ssh://` endpoints.
    pub ssh_key: Option<String>,
}

/// What "Test" found on an endpoint that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EndpointInfo {
    /// The endpoint's name.
    pub endpoint: String,
    /// Its URL.
    pub url: String,
    /// Docker Engine version, e.g. `20.10.24+dfsg1`.
    pub engine_version: String,
    /// The daemon's API version, e.g. `1.41`.
    pub api_version: String,
    /// The API version simple-cicd speaks with it (negotiated).
    pub client_api_version: String,
    /// Operating system, e.g. `Debian GNU/Linux 12 (bookworm)`.
    pub os: String,
    /// `linux` or `windows`.
    pub os_type: String,
    /// CPU architecture, e.g. `x86_64`.
    pub architecture: String,
    /// CPUs the daemon sees.
    #[ts(type = "number")]
    pub cpus: i64,
    /// Memory the daemon sees, in bytes.
    #[ts(type = "number")]
    pub memory_bytes: i64,
    /// Images on the daemon.
    #[ts(type = "number")]
    pub images: i64,
    /// Containers on the daemon (all states).
    #[ts(type = "number")]
    pub containers: i64,
    /// Of which running.
    #[ts(type = "number")]
    pub containers_running: i64,
    /// Round trip of the version request, in milliseconds.
    #[ts(type = "number")]
    pub latency_ms: i64,
}

/// An image registry simple-cicd can push to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Registry {
    /// What templates call it (`push: { registry: NAME }`).
    pub name: String,
    /// The URL as given, e.g. `localhost:5000` or `https://registry.example.com`.
    pub url: String,
    /// The host (and port) image names start with to be pushed there, e.g. `localhost:5000`.
    pub host: String,
    /// The user name, when it needs one.
    pub username: Option<String>,
    /// Whether a password or token is stored in the keyring.
    pub has_password: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// A new registry. The password goes to the keyring and is never sent back.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct NewRegistry {
    /// Its name.
    pub name: String,
    /// Its URL or host.
    pub url: String,
    /// User name.
    pub username: Option<String>,
    /// Password or token.
    pub password: Option<String>,
}

/// The answer of a registry's "Test".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegistryCheck {
    /// The registry's name.
    pub registry: String,
    /// The host that was asked.
    pub host: String,
    /// What the registry said, e.g. `Login Succeeded`.
    pub status: String,
}

/// Where a docker-build template pushes its image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct PushSpec {
    /// The registry's name; every tag that names its host is pushed there.
    pub registry: String,
}
