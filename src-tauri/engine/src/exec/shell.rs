//! The host shell executor: a script in its own process group, its output read into the log.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::Signal;
use tokio::process::Command;
use tokio::sync::watch;

use super::new_pids::PidMark;
use super::reap::{kill_run_processes, signal_group};
use super::{stop_requested, time_limit, StepOutcome, StopReason};
use crate::error::{Error, Result};
use crate::log::{read_output, LogWriter, OrderedOutput};

/// A prepared shell step.
pub(crate) struct ShellStep {
    /// The script file. Run with `/bin/sh -e` unless it starts with `#!`.
    pub script: PathBuf,
    /// Whether the script names its own interpreter.
    pub shebang: bool,
    /// Where it starts.
    pub cwd: PathBuf,
    /// Extra environment (parameters and SIMPLE_CICD_*), passed as variables, never as shell text.
    pub env: Vec<(String, String)>,
    /// Run key, also found in `env`, used to find escaped processes.
    pub run_key: String,
    /// Limit on the duration.
    pub timeout: Option<Duration>,
    /// Time between SIGTERM and SIGKILL.
    pub grace: Duration,
}

/// Runs the step to its end. `stop` turning to [`StopReason::Cancel`] cancels it; `on_start`
/// receives the process group as soon as it exists.
pub(crate) async fn run_shell(
    step: ShellStep,
    log: &LogWriter,
    mut stop: watch::Receiver<StopReason>,
    on_start: impl FnOnce(i32),
) -> Result<StepOutcome> {
    let mut command = if step.shebang {
        Command::new(&step.script)
    } else {
        let mut c = Command::new("/bin/sh");
        c.arg("-e").arg(&step.script);
        c
    };
    command
        .current_dir(&step.cwd)
        .envs(step.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .process_group(0)
        .kill_on_drop(false);
    let output = Output::attach(&mut command, log);
    let mark = PidMark::now();
    let spawned = command.spawn();
    // The parent's copies of the child's pipe ends go with the command, so that the pipes close
    // when the script's processes are gone.
    drop(command);
    let mut child = spawned.map_err(|e| Error::io(format!("cannot start the script {}", step.script.display()), e))?;
    let pgid = child.id().map(|p| p as i32);
    if let Some(pgid) = pgid {
        on_start(pgid);
    }
    let output = output.start(&mut child, log);

    let timeout = time_limit(tokio::time::Instant::now(), step.timeout);
    let cancelled = stop_requested(&mut stop);
    enum End {
        Exited(std::io::Result<std::process::ExitStatus>),
        Cancel,
        Timeout,
    }
    let end = tokio::select! {
        status = child.wait() => End::Exited(status),
        () = cancelled => End::Cancel,
        () = timeout => End::Timeout,
    };
    let outcome = match end {
        End::Exited(status) => {
            let code = status.map(exit_code).unwrap_or(-1);
            if code == 0 {
                StepOutcome::Succeeded
            } else {
                StepOutcome::Failed(code)
            }
        }
        End::Cancel | End::Timeout => {
            let what = if matches!(end, End::Cancel) { "cancelled" } else { "timed out" };
            log.system(format!(
                "Run {what}: sending SIGTERM to its processes, SIGKILL after {}s",
                step.grace.as_secs()
            ))
            .await;
            if let Some(g) = pgid {
                signal_group(g, Signal::SIGTERM);
            }
            let code = match tokio::time::timeout(step.grace, child.wait()).await {
                Ok(status) => status.ok().map(exit_code),
                Err(_) => {
                    if let Some(g) = pgid {
                        signal_group(g, Signal::SIGKILL);
                    }
                    child.wait().await.ok().map(exit_code)
                }
            };
            if matches!(end, End::Cancel) {
                StepOutcome::Cancelled(code)
            } else {
                StepOutcome::TimedOut(code)
            }
        }
    };
    // Destroy: whatever the script left behind (background jobs, escaped daemons) goes too.
    let leftovers = kill_run_processes(pgid, step.run_key.clone(), step.grace.min(Duration::from_secs(2)), mark).await;
    if leftovers > 0 {
        log.system(format!("Stopped {leftovers} process(es) the script left running")).await;
    }
    // The pipes close once every process holding them is gone; the reader then ends by itself.
    output.finish().await;
    Ok(outcome)
}

/// How the script's output is read: in write order (see [`OrderedOutput`]), or, where the kernel
/// does not allow that, from plain pipes by one reader.
enum Output {
    Ordered(OrderedOutput),
    Plain,
    Reading(tokio::task::JoinHandle<()>),
}

impl Output {
    fn attach(command: &mut Command, log: &LogWriter) -> Output {
        match OrderedOutput::new(log.sender()) {
            Ok(mut ordered) => {
                command.stdout(std::mem::replace(&mut ordered.stdout, Stdio::null()));
                command.stderr(std::mem::replace(&mut ordered.stderr, Stdio::null()));
                Output::Ordered(ordered)
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the output in write order; reading plain pipes");
                command.stdout(Stdio::piped()).stderr(Stdio::piped());
                Output::Plain
            }
        }
    }

    fn start(self, child: &mut tokio::process::Child, log: &LogWriter) -> Output {
        match self {
            Output::Plain => {
                let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
                    return Output::Plain;
                };
                Output::Reading(tokio::spawn(read_output(out, err, log.sender())))
            }
            other => other,
        }
    }

    async fn finish(self) {
        const LIMIT: Duration = Duration::from_secs(5);
        match self {
            Output::Ordered(o) => {
                if tokio::time::timeout(LIMIT, o.finished).await.is_err() {
                    o.abandon.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Output::Reading(mut task) => {
                if tokio::time::timeout(LIMIT, &mut task).await.is_err() {
                    task.abort();
                }
            }
            Output::Plain => {}
        }
    }
}

fn exit_code(status: std::process::ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}
