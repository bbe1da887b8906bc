//! Turning libgit2's errors into sentences that say what happened and what to do.

use std::cell::Cell;
use std::rc::Rc;

use crate::error::{Error, GitFailure};

/// What the callbacks saw while libgit2 worked, to tell an authentication failure (the server
/// asked twice) from other failures, and a cancel from a broken connection.
#[derive(Debug, Default, Clone)]
pub(crate) struct Attempt {
    /// How often the server asked for credentials.
    pub auth_asked: Rc<Cell<u32>>,
    /// Set when our credentials callback gave up (no credentials, or refused ones).
    pub auth_failed: Rc<Cell<bool>>,
    /// Set when the host key check refused the server.
    pub host_key_refused: Rc<Cell<bool>>,
    /// Set when the run was cancelled during the transfer.
    pub cancelled: Rc<Cell<bool>>,
}

/// Classifies a libgit2 error for the repository `repo` at `url`.
pub(crate) fn classify(repo: &str, url: &str, e: &git2::Error, attempt: &Attempt) -> Error {
    let raw = e.message().trim().trim_end_matches('.').to_string();
    let lower = raw.to_ascii_lowercase();
    let (kind, message) = if attempt.cancelled.get() {
        (GitFailure::Cancelled, format!("the transfer from {url} was cancelled"))
    } else if attempt.host_key_refused.get() {
        (
            GitFailure::HostKey,
            format!(
                "the SSH host key of {url} is not the one recorded for repository {repo}: someone may be intercepting the connection, or the server's key changed. If the change is expected, remove and add the repository again ({raw})"
            ),
        )
    } else if attempt.auth_failed.get()
        || e.code() == git2::ErrorCode::Auth
        || lower.contains("authentication")
        || lower.contains("401")
        || lower.contains("403")
        || lower.contains("permission denied")
        || lower.contains("failed to authenticate")
        || lower.contains("private key")
        || lower.contains("callback returned unsupported credentials")
    {
        (
            GitFailure::Auth,
            format!(
                "{url} refused the credentials of repository {repo} ({raw}): check the user name and the token, password or SSH key (scicd repo add {repo} ... replaces them)"
            ),
        )
    } else if lower.contains("not found")
        || lower.contains("404")
        || lower.contains("could not find repository")
        || lower.contains("not exported")
        || lower.contains("does not appear to be a git repository")
        || lower.contains("no such file or directory")
        || lower.contains("not a git repository")
    {
        (
            GitFailure::RepoNotFound,
            format!("{url} has no such repository ({raw}): check the URL, and that the account may read it"),
        )
    } else if [
        "early eof",
        "unexpected eof",
        "unexpected disconnect",
        "hung up",
        "connection reset",
        "broken pipe",
        "failed to receive",
        "short read",
    ]
    .iter()
    .any(|n| lower.contains(n))
    {
        // The server answered, then went away mid-transfer: not an address to check, a retry.
        (
            GitFailure::Unreachable,
            format!(
                "the connection to {url} broke during the transfer ({raw}): the server went away or the network dropped; check that the server is up, then run again"
            ),
        )
    } else if e.class() == git2::ErrorClass::Net
        || e.class() == git2::ErrorClass::Os
        || e.class() == git2::ErrorClass::Ssh && lower.contains("connect")
        || lower.contains("failed to resolve")
        || lower.contains("connection refused")
        || lower.contains("timed out")
        || lower.contains("failed to connect")
        || lower.contains("could not connect")
    {
        (
            GitFailure::Unreachable,
            format!(
                "cannot reach {url} ({raw}): check the host name and port, your network, and that the server is up"
            ),
        )
    } else {
        (GitFailure::Other, format!("git failed on {url}: {raw}"))
    };
    Error::Git { kind, message }
}

/// A git error of `kind` with a message.
pub(crate) fn git_error(kind: GitFailure, message: impl Into<String>) -> Error {
    Error::Git { kind, message: message.into() }
}
