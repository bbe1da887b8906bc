//! Step executors. A step's lifecycle: prepare -> start -> tail (logs) -> wait -> destroy.
//! Destroy always runs (success, failure, cancel, timeout) and is idempotent: nothing a step
//! started outlives it.
//!
//! Only the host shell executor exists so far; container, docker-build, compose and helm executors
//! join here behind the same outcome type.

mod reap;
mod shell;

pub(crate) use reap::kill_run_processes;
pub(crate) use shell::{run_shell, ShellStep};

/// How a step ended. A failing script is an outcome, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// Exit code 0.
    Succeeded,
    /// Non-zero exit code (128 + signal when a signal killed it).
    Failed(i32),
    /// Cancelled by the user; the exit code of the killed script, if it was reaped.
    Cancelled(Option<i32>),
    /// Stopped by the timeout.
    TimedOut(Option<i32>),
}

/// Why a step ends early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Keep going.
    None,
    /// The user cancelled.
    Cancel,
}
