//! `scicd approve RUN` and `scicd decline RUN`: answer a pipeline run's approval step.

use simple_cicd_engine::{api, Engine};

use crate::args::AnswerArgs;
use crate::failure::CmdResult;

/// Records the answer; the process running the pipeline goes on (or stops) at once.
pub async fn answer(engine: &Engine, args: AnswerArgs, approve: bool) -> CmdResult {
    let by = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "cli".into());
    let answer = api::Answer { approve, by: by.clone(), comment: args.comment, step: args.step };
    let step = api::run_answer(engine, args.id, answer).await?;
    let how = if approve { "Approved" } else { "Declined" };
    println!("{how} step {} of run {} as {by}", step.name, args.id);
    Ok(0)
}
