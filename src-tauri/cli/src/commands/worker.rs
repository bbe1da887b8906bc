//! `scicd __worker`: the process that owns a detached run. It creates the run, tells its parent the
//! id on stdout (`run <id>` or `error <json>`), then executes the run to its end.

use std::io::Write;
use std::path::PathBuf;

use simple_cicd_engine::api;
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::ApiError;
use tokio::signal::unix::{signal, SignalKind};

use super::parse_params;
use crate::args::WorkerArgs;
use crate::failure::CmdResult;

/// Runs the worker.
pub async fn worker(data_dir: Option<PathBuf>, args: WorkerArgs) -> CmdResult {
    // The terminal that started us may close: that is no reason to stop the run.
    if let Ok(mut hup) = signal(SignalKind::hangup()) {
        tokio::spawn(async move { while hup.recv().await.is_some() {} });
    }
    let params = parse_params(&args.params)?;
    let engine = crate::open_engine(data_dir).await?;
    let options = api::StartOptions { git_ref: args.git_ref.clone(), ..Default::default() };
    let created = api::run_start_with(&engine, &Caller::cli(), &args.template, &params, &options).await;
    let mut stdout = std::io::stdout();
    let run = match created {
        Ok(run) => {
            let _ = writeln!(stdout, "run {}", run.id);
            let _ = stdout.flush();
            run
        }
        Err(e) => {
            let api: ApiError = e.into();
            let _ = writeln!(stdout, "error {}", serde_json::to_string(&api).unwrap_or_default());
            return Ok(2);
        }
    };
    // SIGTERM to the worker cancels the run gracefully, like Ctrl-C in the foreground.
    let cancel = {
        let engine = engine.clone();
        let id = run.id;
        tokio::spawn(async move {
            if let Ok(mut term) = signal(SignalKind::terminate()) {
                if term.recv().await.is_some() {
                    let _ = api::run_cancel(&engine, &Caller::cli(), id).await;
                }
            }
        })
    };
    let end = api::run_wait(&engine, run.id).await?;
    cancel.abort();
    // The run has ended; its e-mail may still be on its way.
    engine.notifications_settled(std::time::Duration::from_secs(300)).await;
    Ok(super::run::exit_status(&end))
}
