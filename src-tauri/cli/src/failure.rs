//! How `scicd` fails: a message on stderr and an exit status.
//!
//! 0 succeeded, 1 the run failed, timed out or was interrupted, 2 usage or invalid input
//! (unknown template, bad parameter, a run that already ended, a ref that does not exist), 3 the
//! environment (data directory, database, keyring), 4 a git remote (unreachable, credentials
//! refused, no such repository), 130 the run was cancelled.

use simple_cicd_engine::model::ApiError;
use simple_cicd_engine::Error;

/// A failure of a command, with its exit status.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// Exit status.
    pub code: u8,
    /// What to print.
    pub message: String,
}

impl Failure {
    /// Usage or invalid input.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into() }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match e {
            Error::NotFound { .. }
            | Error::Invalid(_)
            | Error::NameTaken { .. }
            | Error::InUse { .. }
            | Error::AlreadyEnded { .. }
            | Error::EndpointUnknown { .. }
            | Error::RegistryUnknown { .. } => 2,
            Error::Git { kind: simple_cicd_engine::GitFailure::RefNotFound, .. } => 2,
            Error::Git { .. } => 4,
            _ => 3,
        };
        let message = match &e {
            Error::Invalid(fields) => {
                let mut text = String::from("invalid input:");
                for f in fields {
                    text.push_str(&format!("\n  {}: {}", f.path, f.message));
                }
                text
            }
            other => other.to_string(),
        };
        Failure { code, message }
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        let mut message = e.message.clone();
        if !e.fields.is_empty() {
            message = String::from("invalid input:");
            for f in &e.fields {
                message.push_str(&format!("\n  {}: {}", f.path, f.message));
            }
        }
        let code = match e.code.as_str() {
            "not_found" | "invalid" | "conflict" | "already_ended" | "git_ref_not_found" => 2,
            c if c.starts_with("git") => 4,
            _ => 3,
        };
        Failure { code, message }
    }
}

/// Result alias of the commands.
pub type CmdResult<T = u8> = Result<T, Failure>;
