//! Step executors. A step's lifecycle: prepare -> start -> tail (logs) -> wait -> destroy.
//! Destroy always runs (success, failure, cancel, timeout) and is idempotent: nothing a step
//! started outlives it.
//!
//! Executors: the host shell, a shell script in a container, and docker-build (build, then push).
//! Compose and helm executors join here behind the same outcome type.

mod container;
mod container_output;
mod docker_build;
mod new_pids;
mod reap;
mod shell;

use std::time::Duration;

use tokio::sync::watch;

pub(crate) use container::{run_container, ContainerStep, WORKSPACE as CONTAINER_WORKSPACE};
pub(crate) use docker_build::{run_docker_build, BuildStep, BuiltImage, PushPlan};
pub(crate) use reap::kill_run_processes;
pub(crate) use shell::{run_shell, ShellStep};

/// How a step ended. A failing script is an outcome, not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepOutcome {
    /// Exit code 0.
    Succeeded,
    /// Non-zero exit code (128 + signal when a signal killed it).
    Failed(i32),
    /// Cancelled by the user; the exit code of the killed script, if it was reaped.
    Cancelled(Option<i32>),
    /// Stopped by the timeout.
    TimedOut(Option<i32>),
    /// Failed with the tool's own reason and no exit code: Docker's message for a Dockerfile
    /// error, the registry's for a refused push.
    FailedBecause(String),
}

/// Why a step ends early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Keep going.
    None,
    /// The user cancelled.
    Cancel,
}

/// Resolves once `stop` asks the step to stop; never when its sender is gone.
pub(crate) async fn stop_requested(stop: &mut watch::Receiver<StopReason>) {
    while *stop.borrow_and_update() == StopReason::None {
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Resolves when `limit` has passed since `started`; never without a limit.
pub(crate) async fn time_limit(started: tokio::time::Instant, limit: Option<Duration>) {
    match limit {
        Some(t) => tokio::time::sleep_until(started + t).await,
        None => std::future::pending().await,
    }
}
