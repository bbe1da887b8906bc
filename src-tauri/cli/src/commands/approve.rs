//! `scicd approve RUN` and `scicd decline RUN`: answer a pipeline run's approval step.

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::{api, Engine};

use crate::args::AnswerArgs;
use crate::failure::CmdResult;

/// Records the answer; the process running the pipeline goes on (or stops) at once.
pub async fn answer(engine: &Engine, args: AnswerArgs, approve: bool) -> CmdResult {
    let caller = Caller::cli();
    let answer = api::Answer { approve, comment: args.comment, step: args.step };
    let step = api::run_answer(engine, &caller, args.id, answer).await?;
    let how = if approve { "Approved" } else { "Declined" };
    println!("{how} step {} of run {} as {}", step.name, args.id, caller.person());
    Ok(0)
}
