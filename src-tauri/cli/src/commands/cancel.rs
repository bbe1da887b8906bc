//! `scicd cancel ID`.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::{api, Engine};

use crate::failure::CmdResult;

/// Cancels a run and waits (briefly) until it has ended.
pub async fn cancel(engine: &Engine, id: i64) -> CmdResult {
    let run = api::run_cancel(engine, &Caller::cli(), id).await?;
    println!("Cancelling {} #{} (id {})", run.template, run.number, run.id);
    Ok(0)
}
