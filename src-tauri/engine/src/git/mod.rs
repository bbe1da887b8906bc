//! Git through libgit2: repository URLs, credentials, `ls-remote`, the per-repository cache, and
//! checking a ref out into a run's working directory with progress in its log.
//!
//! libgit2 blocks: everything here runs on blocking threads (`spawn_blocking`), never on the
//! async workers. Every network operation has a connect and a read timeout, and transfers stop
//! when the run is cancelled, so nothing here hangs a run or a `repo test`.
//! Left out: pushing, submodules, Git LFS.

mod auth;
mod cache;
mod checkout;
mod error;
pub mod known_hosts;
mod progress;
mod remote;
mod source;
pub mod url;

use std::sync::Once;

pub(crate) use auth::HostKeyPin;
pub(crate) use cache::dir as cache_dir;
pub use checkout::ref_names;
pub(crate) use remote::list_refs;
pub(crate) use source::{credentials, prepare_source, secret_name, sync_cache, SourceRequest};

/// Seconds libgit2 waits for a TCP connection.
pub const CONNECT_TIMEOUT_SECS: i32 = 15;
/// Seconds libgit2 waits for the server to send or accept data before giving up.
pub const READ_TIMEOUT_SECS: i32 = 30;

/// Sets libgit2's process-wide network timeouts, once.
pub(crate) fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        #[allow(unsafe_code)]
        // SAFETY: these only set two integers in libgit2's global options; Once guarantees a single
        // caller, before this process starts any git operation.
        unsafe {
            let _ = git2::opts::set_server_connect_timeout_in_milliseconds(CONNECT_TIMEOUT_SECS * 1000);
            let _ = git2::opts::set_server_timeout_in_milliseconds(READ_TIMEOUT_SECS * 1000);
        }
    });
}
