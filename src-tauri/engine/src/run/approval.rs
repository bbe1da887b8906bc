//! The approval executor: a step that waits (status `waiting`) until someone approves or declines
//! it, from any process on the data directory (the answer is stored; the owner of the run looks
//! for it), or until its timeout declines it. Approved: the step succeeds with the outputs
//! `approver` and `comment`; declined: it fails, and the steps that wait for its success are
//! skipped.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::watch;

use super::execute::StepContext;
use crate::error::Result;
use crate::exec::{stop_requested, StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{format_duration, now_ms, ApprovalBody, StepStatus};
use crate::store::Decision;

/// How long an approval waits when its step does not say.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
const LOOK_EVERY: Duration = Duration::from_millis(300);

/// Waits for the answer to approval step `index`; `limit` is what the pipeline's timeout leaves.
pub(crate) async fn wait_for_answer(
    ctx: &StepContext<'_>,
    index: u16,
    body: &ApprovalBody,
    limit: Option<Duration>,
    log: &LogWriter,
    mut stop: watch::Receiver<StopReason>,
) -> Result<(StepOutcome, BTreeMap<String, String>)> {
    let store = ctx.engine.store();
    let own = body.timeout_minutes.map(|m| Duration::from_secs(m * 60)).unwrap_or(DEFAULT_TIMEOUT);
    let timeout = limit.map_or(own, |l| l.min(own));
    let run = ctx.run.id;
    let message = if body.message.trim().is_empty() { "Continue?" } else { body.message.trim() };
    log.system(format!(
        "Waiting for approval: {message} (scicd approve {run} or scicd decline {run}, or the run page; declined after {})",
        format_duration(timeout.as_millis())
    ))
    .await;
    // The run may wait for hours: its log so far is stored before it is shown as waiting.
    log.sync().await;
    store.run_step_start(run, index, StepStatus::Waiting, now_ms()).await?;
    store.run_sync_waiting(run).await?;
    ctx.engine.emit_run(run).await;
    let step_name =
        store.run_spec(run).await?.0.steps().get(index as usize).map(|s| s.name.clone()).unwrap_or_default();
    // Held until the answer is in, however this ends: dropping it withdraws the desktop's question.
    let _question = crate::notify::approval_waiting(ctx.engine, ctx.run, &step_name, message, timeout).await;
    let deadline = tokio::time::Instant::now() + timeout;
    let decision = loop {
        if let Some(d) = store.run_step_decision(run, index).await? {
            break d;
        }
        tokio::select! {
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = stop_requested(&mut stop) => return Ok((StepOutcome::Cancelled(None), BTreeMap::new())),
            () = tokio::time::sleep_until(deadline) => {
                let timed_out = Decision { approved: false, by: "timeout".into(), comment: String::new() };
                if store.run_step_decide(run, index, &timed_out, now_ms()).await? {
                    break timed_out;
                }
            }
        }
    };
    let outputs = BTreeMap::from([
        ("approver".to_string(), decision.by.clone()),
        ("comment".to_string(), decision.comment.clone()),
    ]);
    let said = if decision.comment.is_empty() { String::new() } else { format!(": {}", decision.comment) };
    if decision.approved {
        log.system(format!("Approved by {}{said}", decision.by)).await;
        Ok((StepOutcome::Succeeded, outputs))
    } else if decision.by == "timeout" {
        let why = format!("no answer within {}: declined", format_duration(timeout.as_millis()));
        log.system(format!("Declined: {why}")).await;
        Ok((StepOutcome::FailedBecause(why), outputs))
    } else {
        log.system(format!("Declined by {}{said}", decision.by)).await;
        Ok((StepOutcome::FailedBecause(format!("declined by {}{said}", decision.by)), outputs))
    }
}
