//! The engine's error type. A failed script is not an error (it is a run outcome); an `Error`
//! means the engine could not do what was asked.

use std::path::PathBuf;

use crate::model::{ApiError, ErrorCode, ErrorParams, FieldError, RunStatus};

/// Result alias of the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong in the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing by that name or id.
    #[error("{what} {name} does not exist")]
    NotFound {
        /// `template`, `run`, ...
        what: &'static str,
        /// The name or id asked for.
        name: String,
    },
    /// User input is invalid; each field says why.
    #[error("{}", summarise(.0))]
    Invalid(Vec<FieldError>),
    /// The name is taken.
    #[error("a {what} named {name} already exists; choose another name")]
    NameTaken {
        /// `template`, `repository`.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// An import would overwrite templates that exist, and was not asked to.
    #[error("{} already exist{}: importing again would replace {}; ask for it (scicd example import --replace, or Replace in the app), or rename or delete {} first", names_of(.names), if .names.len() == 1 { "s" } else { "" }, if .names.len() == 1 { "it" } else { "them" }, if .names.len() == 1 { "it" } else { "them" })]
    TemplatesExist {
        /// Their names.
        names: Vec<String>,
    },
    /// The thing is still used by others and cannot be removed.
    #[error("{what} {name} is used by {users}; change or remove them first")]
    InUse {
        /// `repository`.
        what: &'static str,
        /// Its name.
        name: String,
        /// Who uses it, e.g. `templates web, api`.
        users: String,
    },
    /// A git operation failed; `kind` says why in a way the UI can branch on.
    #[error("{message}")]
    Git {
        /// The class of failure.
        kind: GitFailure,
        /// What happened and what to do.
        message: String,
    },
    /// Cancel of a run that already ended.
    #[error("run {id} already ended ({status}); there is nothing to cancel")]
    AlreadyEnded {
        /// Run id.
        id: i64,
        /// Its final status.
        status: RunStatus,
    },
    /// The data directory cannot be created or written.
    /// Each door adds how to choose another one (`--data-dir` for `scicd`, the environment for the app).
    #[error("cannot use the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The database was written by a newer simple-cicd.
    /// Each door adds how to choose another data directory.
    #[error("the database {path} was written by a newer simple-cicd (schema version {found}, this build knows up to {supported}); upgrade simple-cicd, or use another data directory")]
    NewerSchema {
        /// Database file.
        path: PathBuf,
        /// Version in the file.
        found: i64,
        /// Newest version this build knows.
        supported: i64,
    },
    /// A file operation failed.
    #[error("{context}: {source}")]
    Io {
        /// What was being done, with the path.
        context: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Schema migration failed.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The secret store cannot be used; the message says what to install, unlock or set.
    #[error("{message}")]
    Keyring {
        /// What is wrong and what to do.
        message: String,
    },
    /// A run refers to a secret that is not stored.
    #[error("the secret {name} is not stored (it may have been deleted from the secret store); store it again with `scicd secret set {name}` or on the Secrets page")]
    SecretMissing {
        /// Its name.
        name: String,
    },
    /// A Docker endpoint or registry cannot be used; the message says why and what to do.
    #[error(transparent)]
    Docker(#[from] crate::docker::DockerError),
    /// A template or command names a Docker endpoint that does not exist.
    #[error("the Docker endpoint {name} does not exist: add it with `scicd endpoint add {name} URL` or on the Endpoints page (the local socket is called `local`)")]
    EndpointUnknown {
        /// Its name.
        name: String,
    },
    /// A Kubernetes cluster cannot be used; the message says why and what to do.
    #[error(transparent)]
    Cluster(#[from] crate::kube::ClusterError),
    /// A Helm operation failed; the message is Helm's own, with what to do.
    #[error(transparent)]
    Helm(#[from] crate::deploy::helm::HelmError),
    /// A command names a cluster that does not exist.
    #[error("the cluster {name} does not exist: add it with `scicd cluster add {name} --context CONTEXT` (or --kubeconfig FILE) or on the Clusters page")]
    ClusterUnknown {
        /// Its name.
        name: String,
    },
    /// A template or command names a registry that does not exist.
    #[error(
        "the registry {name} does not exist: add it with `scicd registry add {name} URL` or on the Registries page"
    )]
    RegistryUnknown {
        /// Its name.
        name: String,
    },
    /// Stored data could not be decoded (a bug or a damaged database).
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    /// Something failed inside simple-cicd that is neither the caller's input nor stored data (a
    /// task that panicked, a stream that broke).
    #[error("internal error: {0}")]
    Internal(String),
    /// No valid credentials came with the request.
    #[error("{reason}")]
    Unauthenticated {
        /// Why, and what to do.
        reason: String,
    },
    /// The caller does not hold the scope the operation needs.
    #[error("{actor} may not do this: it needs the `{}` permission; ask an admin for a role or token that has it", .scope.as_str())]
    Forbidden {
        /// Who called.
        actor: String,
        /// What was missing.
        scope: crate::model::Scope,
    },
    /// The caller's grants do not name the template.
    #[error("{actor} may not run {template}: their grants do not name it; ask an admin to grant it (scicd user grant NAME {template})")]
    NotGranted {
        /// Who called.
        actor: String,
        /// The template.
        template: String,
    },
    /// The account is locked after repeated wrong passwords.
    #[error("too many wrong passwords for {name}: the account is locked until {until}; try again then, or ask an admin to reset the password")]
    Locked {
        /// The account.
        name: String,
        /// RFC 3339.
        until: String,
    },
}

/// Why a git operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitFailure {
    /// The host cannot be reached (DNS, refused connection, timeout).
    Unreachable,
    /// The server refused the credentials, or asked for some and there are none.
    Auth,
    /// The server has no such repository.
    RepoNotFound,
    /// The branch, tag or commit does not exist.
    RefNotFound,
    /// The SSH host key differs from the one recorded.
    HostKey,
    /// The run was cancelled while git was working.
    Cancelled,
    /// Anything else.
    Other,
}

impl GitFailure {
    /// The stable error code.
    pub fn code(self) -> ErrorCode {
        match self {
            GitFailure::Unreachable => ErrorCode::GitUnreachable,
            GitFailure::Auth => ErrorCode::GitAuth,
            GitFailure::RepoNotFound => ErrorCode::GitNotFound,
            GitFailure::RefNotFound => ErrorCode::GitRefNotFound,
            GitFailure::HostKey => ErrorCode::GitHostKey,
            GitFailure::Cancelled => ErrorCode::Cancelled,
            GitFailure::Other => ErrorCode::Git,
        }
    }
}

fn names_of(names: &[String]) -> String {
    match names {
        [one] => format!("the template {one}"),
        _ => format!("the templates {}", names.join(", ")),
    }
}

fn summarise(fields: &[FieldError]) -> String {
    let parts: Vec<String> = fields.iter().map(ToString::to_string).collect();
    format!("invalid input: {}", parts.join("; "))
}

impl Error {
    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }

    /// One invalid field.
    pub fn invalid(path: &str, code: &str, message: impl Into<String>) -> Self {
        Error::Invalid(vec![FieldError::new(path, code, message)])
    }

    /// The stable code the UI and the CLI branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Invalid(_) => ErrorCode::Invalid,
            Error::NameTaken { .. } | Error::InUse { .. } | Error::TemplatesExist { .. } => ErrorCode::Conflict,
            Error::Git { kind, .. } => kind.code(),
            Error::AlreadyEnded { .. } => ErrorCode::AlreadyEnded,
            Error::DataDir { .. } => ErrorCode::DataDir,
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::Io { .. } => ErrorCode::Io,
            Error::Database(_) | Error::Migrate(_) => ErrorCode::Database,
            Error::Corrupt(_) | Error::Internal(_) => ErrorCode::Internal,
            Error::Unauthenticated { .. } => ErrorCode::Unauthenticated,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::NotGranted { .. } => ErrorCode::NotGranted,
            Error::Locked { .. } => ErrorCode::Locked,
            Error::Keyring { .. } => ErrorCode::Keyring,
            Error::SecretMissing { .. } => ErrorCode::SecretMissing,
            Error::Docker(d) => d.code(),
            Error::Cluster(c) => c.code(),
            Error::Helm(_) => ErrorCode::Helm,
            Error::EndpointUnknown { .. } | Error::RegistryUnknown { .. } | Error::ClusterUnknown { .. } => {
                ErrorCode::NotFound
            }
        }
    }

    /// The values the UI's translation of [`Error::code`] names.
    pub fn params(&self) -> ErrorParams {
        let pairs: Vec<(&str, String)> = match self {
            Error::NotFound { what, name } => vec![("what", what.to_string()), ("name", name.clone())],
            Error::NameTaken { what, name } => vec![("what", what.to_string()), ("name", name.clone())],
            Error::InUse { what, name, users } => {
                vec![("what", what.to_string()), ("name", name.clone()), ("users", users.clone())]
            }
            Error::TemplatesExist { names } => vec![("what", "template".to_string()), ("name", names.join(", "))],
            Error::AlreadyEnded { id, status } => vec![("id", id.to_string()), ("status", status.as_str().to_string())],
            Error::DataDir { path, source } => {
                vec![("path", path.display().to_string()), ("cause", source.to_string())]
            }
            Error::NewerSchema { path, .. } => vec![("path", path.display().to_string())],
            Error::SecretMissing { name } => vec![("name", name.clone())],
            Error::Unauthenticated { reason } => vec![("reason", reason.clone())],
            Error::Forbidden { actor, scope } => vec![("actor", actor.clone()), ("scope", scope.as_str().to_string())],
            Error::NotGranted { actor, template } => vec![("actor", actor.clone()), ("template", template.clone())],
            Error::Locked { name, until } => vec![("name", name.clone()), ("until", until.clone())],
            Error::EndpointUnknown { name } => vec![("what", "endpoint".to_string()), ("name", name.clone())],
            Error::RegistryUnknown { name } => vec![("what", "registry".to_string()), ("name", name.clone())],
            Error::ClusterUnknown { name } => vec![("what", "cluster".to_string()), ("name", name.clone())],
            Error::Docker(d) => return d.params(),
            Error::Cluster(c) => return c.params(),
            Error::Helm(h) => vec![("cause", h.to_string())],
            _ => Vec::new(),
        };
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError::from(&e)
    }
}

impl From<&Error> for ApiError {
    fn from(e: &Error) -> Self {
        let fields = match e {
            Error::Invalid(f) => f.clone(),
            Error::NameTaken { what, name } => {
                vec![FieldError::new("name", "duplicate", format!("a {what} named {name} already exists"))]
            }
            _ => Vec::new(),
        };
        ApiError { code: e.code(), message: e.to_string(), params: e.params(), fields }
    }
}
