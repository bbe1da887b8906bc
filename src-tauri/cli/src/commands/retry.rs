//! `scicd retry RUN [--from STEP]`: a new run of a pipeline run's plan from one of its steps.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::{api, Engine};

use crate::failure::CmdResult;

/// Queues the retry and streams it like `scicd run` (Ctrl-C cancels it).
pub async fn retry(engine: &Engine, id: i64, from: Option<String>) -> CmdResult {
    let run = api::run_retry(engine, &Caller::cli(), id, from.as_deref()).await?;
    eprintln!("Run {} #{} created (id {}): {}", run.template, run.number, run.id, run.trigger);
    let end = super::run::stream_until_end(engine, run.id, 1, true).await?;
    super::steps::print_summary(engine, end.id).await;
    super::run::report_notifications(engine, end.id).await;
    Ok(super::run::exit_status(&end))
}
