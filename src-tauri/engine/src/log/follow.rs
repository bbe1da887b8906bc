//! Following a run's log: the history from any line, then live lines and status changes until the
//! run ends. Works the same for runs of this process (woken by the engine's signal) and of other
//! processes (polled), because both read what the writer stored.

use std::time::Duration;

use crate::error::Result;
use crate::model::FollowEvent;
use crate::Engine;

const PAGE: usize = 20_000;
const POLL: Duration = Duration::from_millis(250);

/// Sends `emit` every line of run `run_id` from `from_seq` on, status changes, and a final
/// [`FollowEvent::End`]. Stops early, without error, when `emit` returns false (the viewer left).
pub async fn follow(
    engine: &Engine,
    run_id: i64,
    from_seq: i64,
    mut emit: impl FnMut(FollowEvent) -> bool,
) -> Result<()> {
    follow_paced(engine, run_id, from_seq, |event| std::future::ready(emit(event))).await
}

/// [`follow`] at the viewer's pace: the next page of lines is read only once `emit` has taken the
/// last one, so a viewer that reads slowly (or not at all) holds at most what it was given, not
/// the whole log in memory.
pub async fn follow_paced<F, Fut>(engine: &Engine, run_id: i64, from_seq: i64, mut emit: F) -> Result<()>
where
    F: FnMut(FollowEvent) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut next = from_seq.max(1);
    let mut last_run = engine.store().run_get(run_id).await?;
    if !emit(FollowEvent::Status(last_run.clone())).await {
        return Ok(());
    }
    loop {
        let mut changes = engine.changes();
        let lines = engine.store().log_read(run_id, next, PAGE).await?;
        if let Some(last) = lines.last() {
            next = last.seq + 1;
            if !emit(FollowEvent::Lines(lines)).await {
                return Ok(());
            }
            continue;
        }
        let run = engine.store().run_get(run_id).await?;
        if run != last_run {
            last_run = run.clone();
            if !run.status.is_final() && !emit(FollowEvent::Status(run.clone())).await {
                return Ok(());
            }
        }
        if run.status.is_final() {
            // The writer stores every line before the run is marked final: one last read is enough.
            let rest = engine.store().log_read(run_id, next, usize::MAX).await?;
            if !rest.is_empty() && !emit(FollowEvent::Lines(rest)).await {
                return Ok(());
            }
            emit(FollowEvent::End(run)).await;
            return Ok(());
        }
        // Woken at once by this engine's changes; runs of other processes are polled.
        let _ = tokio::time::timeout(POLL, changes.changed()).await;
    }
}
