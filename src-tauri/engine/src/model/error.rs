//! The one error shape that crosses the border: `{ code, message, fields, params }`. The code is
//! one closed enum ([`ErrorCode`], a TypeScript union in the UI); `params` carries what the UI
//! needs to say the message in the user's language, `message` stays the English detail.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A problem with one field of user input, addressed by a path such as `params[2].name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[ts(export)]
pub struct FieldError {
    /// Where the problem is: `name`, `script`, `params[0].default`, `params.WHO`, ...
    pub path: String,
    /// A stable code the UI translates: `required`, `invalid`, `duplicate`, `too_long`,
    /// `type_mismatch`, `not_in_choices`, `unknown`, `reserved`.
    pub code: String,
    /// What is wrong and what to do, in English.
    pub message: String,
}

impl FieldError {
    /// Builds a field error.
    pub fn new(path: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { path: path.into(), code: code.to_string(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The stable codes of [`ApiError`]: what the UI translates and the CLI maps to exit statuses.
/// A code exists only when a door branches on it; the rest of what the user needs is in `params`
/// and in the English `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Nothing by that name or id (`what`, `name`).
    NotFound,
    /// Invalid input; see `fields`.
    Invalid,
    /// A name is taken, or the thing is still in use (`what`, `name`).
    Conflict,
    /// Cancel of a run that already ended (`id`, `status`).
    AlreadyEnded,
    /// The data directory cannot be used (`path`).
    DataDir,
    /// The database was written by a newer simple-cicd (`path`).
    NewerSchema,
    /// A file operation failed.
    Io,
    /// SQLite failed.
    Database,
    /// A bug or damaged data.
    Internal,
    /// The secret store cannot be used.
    Keyring,
    /// A secret a run needs is not stored (`name`).
    SecretMissing,
    /// Nothing listens at the Docker endpoint (`url`, `cause`).
    DockerNotRunning,
    /// The Docker host refused the connection: nothing listens on the port (`url`).
    DockerRefused,
    /// The Docker socket refuses this user (`url`).
    DockerPermission,
    /// The Docker host cannot be reached (`url`, `cause`).
    DockerUnreachable,
    /// The Docker endpoint did not answer in time (`url`, `seconds`).
    DockerTimeout,
    /// The TLS handshake failed (`url`, `cause`).
    DockerTls,
    /// A plain `tcp://` endpoint whose daemon wants TLS (`url`).
    DockerTlsRequired,
    /// The endpoint's TLS files cannot be used (`endpoint`, `cause`).
    DockerTlsFiles,
    /// SSH refused the login (`url`, `cause`).
    DockerSshAuth,
    /// Another SSH failure (`url`, `cause`).
    DockerSsh,
    /// Something answered at the endpoint with an error (`url`, `status`, `cause`).
    DockerDaemon,
    /// The registry cannot be reached (`registry`, `host`, `cause`).
    RegistryUnreachable,
    /// The registry refused the credentials (`registry`, `host`, `cause`).
    RegistryRefused,
    /// The registry wants a login and none is stored (`registry`, `host`).
    RegistryLoginRequired,
    /// What answers there is not a registry (`registry`, `host`, `cause`).
    RegistryNotARegistry,
    /// Another registry failure (`registry`, `cause`).
    Registry,
    /// No kubectl to run (`looked`).
    KubectlMissing,
    /// The kubeconfig context does not exist (`context`, `kubeconfig`).
    ClusterContextUnknown,
    /// The Kubernetes API server cannot be reached (`server`, `cause`).
    ClusterUnreachable,
    /// The TLS handshake with the API server failed (`server`, `cause`).
    ClusterTls,
    /// The API server refused the credentials (`server`, `cause`).
    ClusterUnauthorized,
    /// Another cluster failure (`cause`).
    Cluster,
    /// A Helm operation failed (`cause`).
    Helm,
    /// A git host cannot be reached.
    GitUnreachable,
    /// A git host refused the credentials.
    GitAuth,
    /// A git host has no such repository.
    GitNotFound,
    /// A branch, tag or commit does not exist.
    GitRefNotFound,
    /// An SSH host key changed.
    GitHostKey,
    /// Another git failure.
    Git,
    /// The operation was cancelled.
    Cancelled,
    /// A desktop setting could not be applied to the OS (start at login).
    Autostart,
    /// The UI runs without a backend (a plain browser without the desktop app). Never sent by Rust.
    NoBackend,
    /// No valid credentials: sign in, or send a valid token (`reason`).
    Unauthenticated,
    /// The caller may not do this (`actor`, `scope`).
    Forbidden,
    /// The caller's grants do not name the template it tried to run (`actor`, `template`).
    NotGranted,
    /// The account is locked after repeated wrong passwords (`name`, `until`).
    Locked,
    /// The request body is larger than the server accepts.
    TooLarge,
}

impl ErrorCode {
    /// The code as it is serialised, e.g. `docker_timeout`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Conflict => "conflict",
            ErrorCode::AlreadyEnded => "already_ended",
            ErrorCode::DataDir => "data_dir",
            ErrorCode::NewerSchema => "newer_schema",
            ErrorCode::Io => "io",
            ErrorCode::Database => "database",
            ErrorCode::Internal => "internal",
            ErrorCode::Keyring => "keyring",
            ErrorCode::SecretMissing => "secret_missing",
            ErrorCode::DockerNotRunning => "docker_not_running",
            ErrorCode::DockerRefused => "docker_refused",
            ErrorCode::DockerPermission => "docker_permission",
            ErrorCode::DockerUnreachable => "docker_unreachable",
            ErrorCode::DockerTimeout => "docker_timeout",
            ErrorCode::DockerTls => "docker_tls",
            ErrorCode::DockerTlsRequired => "docker_tls_required",
            ErrorCode::DockerTlsFiles => "docker_tls_files",
            ErrorCode::DockerSshAuth => "docker_ssh_auth",
            ErrorCode::DockerSsh => "docker_ssh",
            ErrorCode::DockerDaemon => "docker_daemon",
            ErrorCode::RegistryUnreachable => "registry_unreachable",
            ErrorCode::RegistryRefused => "registry_refused",
            ErrorCode::RegistryLoginRequired => "registry_login_required",
            ErrorCode::RegistryNotARegistry => "registry_not_a_registry",
            ErrorCode::Registry => "registry",
            ErrorCode::KubectlMissing => "kubectl_missing",
            ErrorCode::ClusterContextUnknown => "cluster_context_unknown",
            ErrorCode::ClusterUnreachable => "cluster_unreachable",
            ErrorCode::ClusterTls => "cluster_tls",
            ErrorCode::ClusterUnauthorized => "cluster_unauthorized",
            ErrorCode::Cluster => "cluster",
            ErrorCode::Helm => "helm",
            ErrorCode::GitUnreachable => "git_unreachable",
            ErrorCode::GitAuth => "git_auth",
            ErrorCode::GitNotFound => "git_not_found",
            ErrorCode::GitRefNotFound => "git_ref_not_found",
            ErrorCode::GitHostKey => "git_host_key",
            ErrorCode::Git => "git",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Autostart => "autostart",
            ErrorCode::NoBackend => "no_backend",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotGranted => "not_granted",
            ErrorCode::Locked => "locked",
            ErrorCode::TooLarge => "too_large",
        }
    }

    /// The HTTP status an error of this code is answered with.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::Invalid | ErrorCode::GitRefNotFound => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden | ErrorCode::NotGranted => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict | ErrorCode::AlreadyEnded => 409,
            ErrorCode::TooLarge => 413,
            ErrorCode::Locked => 429,
            ErrorCode::Cancelled => 499,
            ErrorCode::DataDir
            | ErrorCode::NewerSchema
            | ErrorCode::Io
            | ErrorCode::Database
            | ErrorCode::Internal
            | ErrorCode::Autostart
            | ErrorCode::NoBackend => 500,
            // A service simple-cicd depends on (Docker, a registry, git, a cluster, the keyring)
            // failed or refused: the request was fine.
            _ => 502,
        }
    }

    /// The exit status of `scicd` failing with this code: 2 for bad input (usage, unknown
    /// names, conflicts), 4 for git, 5 for refused credentials or permissions, 3 otherwise.
    pub fn exit_status(self) -> u8 {
        match self {
            ErrorCode::NotFound
            | ErrorCode::Invalid
            | ErrorCode::Conflict
            | ErrorCode::AlreadyEnded
            | ErrorCode::GitRefNotFound
            | ErrorCode::TooLarge => 2,
            ErrorCode::GitUnreachable
            | ErrorCode::GitAuth
            | ErrorCode::GitNotFound
            | ErrorCode::GitHostKey
            | ErrorCode::Git => 4,
            ErrorCode::Unauthenticated | ErrorCode::Forbidden | ErrorCode::NotGranted | ErrorCode::Locked => 5,
            _ => 3,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Named values of an error, for the UI's translation of its code: `{ "url": "tcp://…", "seconds": "20" }`.
pub type ErrorParams = BTreeMap<String, String>;

/// The serialisable error every entry point (Tauri command, CLI, HTTP) returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[ts(export)]
pub struct ApiError {
    /// What kind of failure, for the UI to translate and the CLI to pick an exit status.
    pub code: ErrorCode,
    /// A sentence for the user: what happened and what to do.
    pub message: String,
    /// Per-field problems, when the input was invalid.
    pub fields: Vec<FieldError>,
    /// The values the translation of `code` names (`url`, `seconds`, `cause`, ...).
    #[serde(default)]
    pub params: ErrorParams,
}

impl ApiError {
    /// An error without fields or params.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), fields: Vec::new(), params: ErrorParams::new() }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
