//! The run lifecycle: create (queued), execute (running), end (succeeded, failed, cancelled,
//! timed_out), cancel from any process, and crash recovery (interrupted).
//!
//! A run is executed by the engine instance that created it (its owner), once the queue gives it
//! a slot. Other processes ask for a cancel through the database; the owner polls for such
//! requests.

mod approval;
mod docker_step;
mod execute;
#[cfg(test)]
mod fake_executor;
mod helm_step;
mod instance;
mod one_step;
mod pipeline;
mod recover;
mod scheduler;
mod step_executor;

use std::time::Duration;

use tokio::sync::watch;

pub(crate) use execute::execute;
pub(crate) use instance::{is_alive, Instance};
pub(crate) use recover::recover_orphans;
pub(crate) use scheduler::schedule;

use crate::exec::StopReason;

/// Default time between SIGTERM and SIGKILL when a run is cancelled or times out.
pub const DEFAULT_CANCEL_GRACE: Duration = Duration::from_secs(10);

/// A run this process is executing.
pub(crate) struct Active {
    /// Turns to `Cancel` to stop it.
    pub stop: watch::Sender<StopReason>,
    /// The engine's change signal (see [`crate::Signal`]).
    pub signal: crate::Signal,
}

impl Active {
    pub(crate) fn new(signal: crate::Signal) -> Active {
        Active { stop: watch::channel(StopReason::None).0, signal }
    }
}
