//! How `scicd` fails: a message on stderr and an exit status.
//!
//! 0 succeeded, 1 the run failed, timed out or was interrupted, 2 usage or invalid input
//! (unknown template, bad parameter, a run that already ended, a ref that does not exist), 3 the
//! environment (data directory, database, keyring), 4 a git remote (unreachable, credentials
//! refused, no such repository), 130 the run was cancelled.

use simple_cicd_engine::model::{ApiError, ErrorCode};
use simple_cicd_engine::Error;

/// A failure of a command, with its exit status.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// Exit status.
    pub code: u8,
    /// What to print.
    pub message: String,
    /// The engine's error, when it came from the engine.
    pub api: Option<ApiError>,
}

impl Failure {
    /// A failure with this exit status.
    pub fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure { code, message: message.into(), api: None }
    }

    /// Usage or invalid input.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure { code: 2, message: message.into(), api: None }
    }

    /// What a command asked for `--json` prints on stdout when it fails (the message still goes
    /// to stderr), so a script that asked for JSON always gets JSON: the engine's error, or for
    /// a failure of `scicd` itself `invalid` (usage, exit 2) or `internal`.
    pub fn to_api(&self) -> ApiError {
        self.api.clone().unwrap_or_else(|| {
            ApiError::new(if self.code == 2 { ErrorCode::Invalid } else { ErrorCode::Internal }, self.message.clone())
        })
    }
}

/// The exit status of an error code (defined next to the code, once for every door).
fn exit_status(code: ErrorCode) -> u8 {
    code.exit_status()
}

/// What `scicd` adds to errors about the data directory: how to choose another one.
const DATA_DIR_ADVICE: &str = "Choose a writable directory with --data-dir or SIMPLE_CICD_DATA_DIR";

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let api = Some(ApiError::from(&e));
        let code = exit_status(e.code());
        let message = match &e {
            Error::Invalid(fields) => {
                let mut text = String::from("invalid input:");
                for f in fields {
                    text.push_str(&format!("\n  {}: {}", f.path, f.message));
                }
                text
            }
            Error::DataDir { .. } => format!("{e}. {DATA_DIR_ADVICE}"),
            Error::NewerSchema { .. } => format!("{e} (--data-dir or SIMPLE_CICD_DATA_DIR)"),
            other => other.to_string(),
        };
        Failure { code, message, api }
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
        Failure { code: exit_status(e.code), message, api: Some(e) }
    }
}

/// Result alias of the commands.
pub type CmdResult<T = u8> = Result<T, Failure>;
