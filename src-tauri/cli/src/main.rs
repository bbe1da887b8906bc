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
    let long_lived = matches!(cli.command, Command::Serve(_));
    let code = match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(f) => {
            if asked_for_json() {
                output::json(&f.to_api());
            }
            eprintln!("error: {}", f.message);
            f.code
        }
    };
    if !long_lived {
        // Everything the command did is stored and its output written; tearing the runtime down
        // would close the database's connections that tasks still hold (see `leave_open`).
        use std::io::Write;
        let _ = std::io::stdout().flush();
        std::process::exit(code.into());
    }
    ExitCode::from(code)
}

/// Whether the command line asks for JSON output (every command that has `--json`).
fn asked_for_json() -> bool {
    std::env::args_os().take_while(|a| a != "--").any(|a| a == "--json")
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
    // Only a long-lived process (`serve`) is there to act on a failed deploy's Roll back.
    let notifier = if adopt_queued { DesktopNotifier::new() } else { DesktopNotifier::new().short_lived() };
    let mut notify = NotifyOptions { notifier: Arc::new(notifier), ..NotifyOptions::default() };
    // Shorter waits between e-mail attempts, for tests: `SIMPLE_CICD_EMAIL_RETRY_MS=100,100`.
    if let Ok(delays) = std::env::var("SIMPLE_CICD_EMAIL_RETRY_MS") {
        notify.email_retry_delays =
            delays.split(',').filter_map(|d| d.trim().parse().ok()).map(std::time::Duration::from_millis).collect();
    }
    let engine = Engine::open(EngineOptions {
        data_dir: cli_data_dir,
        events: Arc::new(NoEvents),
        cancel_grace: grace,
        adopt_queued,
        notify,
        // A command runs at most one run (or pipeline) at a time: two connections serve it (one for
        // its runs, one for its printer and other readers), without the threads, schema parses and
        // lock waits of more.
        db_connections: if adopt_queued { EngineOptions::default().db_connections } else { 2 },
        ..EngineOptions::default()
    })
    .await
    .map_err(Failure::from)?;
    if !adopt_queued {
        leave_open(&engine);
    }
    Ok(engine)
}

/// A command's database is left open when the process exits. Closing SQLite's last connection
/// copies the write-ahead log into the database, syncs it to disk and deletes the log (which the
/// next command creates again): milliseconds (about 4 ms measured here with 820 pages in the log,
/// more on a busy disk), a large part of a `true` run. Left open, the log stays for the next process to read (a
/// fraction of a millisecond: SQLite moves it into the database itself every 100 pages, see the
/// store, and a running desktop app keeps it read). Nothing is lost either way: every transaction
/// is complete in the log when it commits.
/// The rest of the engine closes as usual (its instance lock file goes).
fn leave_open(engine: &Engine) {
    static OPEN: std::sync::OnceLock<simple_cicd_engine::Store> = std::sync::OnceLock::new();
    let _ = OPEN.set(engine.store().clone());
}

/// How long a short command waits for the notifications and e-mails of runs it ended (a queued run
/// cancelled, a dead process's run recovered as interrupted) before the process exits.
const NOTIFY_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

async fn dispatch(cli: Cli) -> CmdResult {
    let data_dir = cli.data_dir;
    // These open their engine themselves and wait for their notifications.
    let command = match cli.command {
        Command::Run(args) => return commands::run::run(data_dir, args).await,
        Command::Worker(args) => return commands::worker::worker(data_dir, args).await,
        Command::Serve(args) => return commands::serve::serve(data_dir, args).await,
        short => short,
    };
    let engine = open_engine(data_dir).await?;
    let result = match command {
        Command::Template(cmd) => commands::template::dispatch(&engine, cmd).await,
        Command::Runs(cmd) => commands::runs::dispatch(&engine, cmd).await,
        Command::Logs(args) => commands::logs::logs(&engine, args).await,
        Command::Cancel { id } => commands::cancel::cancel(&engine, id).await,
        Command::Retry { id, from } => commands::retry::retry(&engine, id, from).await,
        Command::Approve(args) => commands::approve::answer(&engine, args, true).await,
        Command::Decline(args) => commands::approve::answer(&engine, args, false).await,
        Command::Config(cmd) => commands::config::dispatch(&engine, cmd).await,
        Command::Smtp(cmd) => commands::smtp::dispatch(&engine, cmd).await,
        Command::Secret(cmd) => commands::secret::dispatch(&engine, cmd).await,
        Command::App(cmd) => commands::app::dispatch(&engine, cmd).await,
        Command::Endpoint(cmd) => commands::endpoint::dispatch(&engine, cmd).await,
        Command::Cluster(cmd) => commands::cluster::dispatch(&engine, cmd).await,
        Command::Registry(cmd) => commands::registry::dispatch(&engine, cmd).await,
        Command::Storage(cmd) => commands::storage::dispatch(&engine, cmd).await,
        Command::Repo(cmd) => commands::repo::dispatch(&engine, cmd).await,
        Command::Example(cmd) => commands::example::dispatch(&engine, cmd).await,
        Command::Triggers(args) => commands::triggers::triggers(&engine, args).await,
        Command::User(cmd) => commands::users::dispatch(&engine, cmd).await,
        Command::Token(cmd) => commands::users::token(&engine, cmd).await,
        Command::Audit(args) => commands::users::audit(&engine, args).await,
        Command::Run(_) | Command::Worker(_) | Command::Serve(_) => unreachable!("dispatched above"),
    };
    engine.notifications_settled(NOTIFY_WAIT).await;
    result
}
