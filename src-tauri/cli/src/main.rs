//! `scicd`: simple-cicd without a window. Same data directory, same engine, same history as the
//! desktop app: what one does, the other shows.

mod args;
mod commands;
mod failure;
mod output;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use simple_cicd_engine::notify::{DesktopNotifier, NotifyOptions};
use simple_cicd_engine::{Engine, EngineOptions, NoEvents};

use crate::args::{Cli, Command};
use crate::failure::{CmdResult, Failure};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Run(_) | Command::Worker(_) | Command::Serve(_)) {
        exit_quietly_on_closed_pipe();
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("SCICD_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}

/// `scicd runs list | head` should end quietly, like any Unix tool, instead of panicking on a
/// write to a closed pipe. Commands that own a run keep ignoring SIGPIPE: they must never die
/// without ending their run.
#[allow(unsafe_code)]
fn exit_quietly_on_closed_pipe() {
    use nix::sys::signal::{signal, SigHandler, Signal};
    // SAFETY: called first thing in main, before any other thread exists; SIG_DFL is always a
    // valid disposition.
    unsafe {
        let _ = signal(Signal::SIGPIPE, SigHandler::SigDfl);
    }
}

/// Opens the engine of the chosen data directory.
pub async fn open_engine(cli_data_dir: Option<std::path::PathBuf>) -> CmdResult<Engine> {
    open_engine_with(cli_data_dir, false).await
}

/// Opens the engine; long-lived commands (`serve`) adopt queued runs of dead processes.
pub async fn open_engine_with(cli_data_dir: Option<std::path::PathBuf>, adopt_queued: bool) -> CmdResult<Engine> {
    let grace = EngineOptions::cancel_grace_from_env();
    let mut notify = NotifyOptions { notifier: Arc::new(DesktopNotifier::new()), ..NotifyOptions::default() };
    // Shorter waits between e-mail attempts, for tests: `SIMPLE_CICD_EMAIL_RETRY_MS=100,100`.
    if let Ok(delays) = std::env::var("SIMPLE_CICD_EMAIL_RETRY_MS") {
        notify.email_retry_delays =
            delays.split(',').filter_map(|d| d.trim().parse().ok()).map(std::time::Duration::from_millis).collect();
    }
    Engine::open(EngineOptions {
        data_dir: cli_data_dir,
        events: Arc::new(NoEvents),
        cancel_grace: grace,
        adopt_queued,
        notify,
        ..EngineOptions::default()
    })
    .await
    .map_err(Failure::from)
}

/// Runs a short command on the engine, then lets the notifications of runs it ended (a queued
/// run cancelled, a dead process's run recovered as interrupted) go out before the process exits.
async fn with_engine<F, Fut>(data_dir: Option<std::path::PathBuf>, command: F) -> CmdResult
where
    F: FnOnce(Engine) -> Fut,
    Fut: std::future::Future<Output = CmdResult>,
{
    let engine = open_engine(data_dir).await?;
    let result = command(engine.clone()).await;
    engine.notifications_settled(NOTIFY_WAIT).await;
    result
}

/// How long a short command waits for the notifications and e-mails of runs it ended.
const NOTIFY_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

async fn dispatch(cli: Cli) -> CmdResult {
    let d = cli.data_dir;
    match cli.command {
        Command::Template(cmd) => with_engine(d, |e| async move { commands::template::dispatch(&e, cmd).await }).await,
        Command::Run(args) => commands::run::run(d, args).await,
        Command::Runs(cmd) => with_engine(d, |e| async move { commands::runs::dispatch(&e, cmd).await }).await,
        Command::Logs(args) => with_engine(d, |e| async move { commands::logs::logs(&e, args).await }).await,
        Command::Cancel { id } => with_engine(d, |e| async move { commands::cancel::cancel(&e, id).await }).await,
        Command::Config(cmd) => with_engine(d, |e| async move { commands::config::dispatch(&e, cmd).await }).await,
        Command::Smtp(cmd) => with_engine(d, |e| async move { commands::smtp::dispatch(&e, cmd).await }).await,
        Command::Secret(cmd) => with_engine(d, |e| async move { commands::secret::dispatch(&e, cmd).await }).await,
        Command::Endpoint(cmd) => with_engine(d, |e| async move { commands::endpoint::dispatch(&e, cmd).await }).await,
        Command::Registry(cmd) => with_engine(d, |e| async move { commands::registry::dispatch(&e, cmd).await }).await,
        Command::Storage(cmd) => with_engine(d, |e| async move { commands::storage::dispatch(&e, cmd).await }).await,
        Command::Worker(args) => commands::worker::worker(d, args).await,
        Command::Repo(cmd) => with_engine(d, |e| async move { commands::repo::dispatch(&e, cmd).await }).await,
        Command::Triggers(args) => {
            with_engine(d, |e| async move { commands::triggers::triggers(&e, args).await }).await
        }
        Command::Serve(args) => commands::serve::serve(d, args).await,
    }
}
