//! Following a run's log: the history from any line, then live lines and status changes until the
//! run ends. Works the same for runs of this process (woken by the engine's signal) and of other
//! processes (polled), because both read what the writer stored.
//!
//! [`follow`] and [`follow_paced`] hand over owned pages of lines (for a channel or an SSE
//! stream); [`follow_each`] hands runs of lines borrowed from their stored chunk, for a viewer that
//! writes them out at once (`scicd run`), so that a million lines cost no million copies (nor
//! a million writes).

use std::time::Duration;

use crate::error::Result;
use crate::model::{FollowEvent, LogLinesRef, Run};
use crate::Engine;

const PAGE: usize = 20_000;
/// The lines [`follow_each`] reads at a time: runs borrowed from their chunks cost no memory, and
/// a page shorter than a chunk made each chunk be searched for where the page ends and where
/// the next starts.
const EACH_PAGE: usize = 1 << 18;
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
    // Subscribed before the first read: a change from then on wakes the wait below.
    let mut changes = engine.changes();
    let mut run = engine.store().run_get(run_id).await?;
    if !emit(FollowEvent::Status(run.clone())).await {
        return Ok(());
    }
    loop {
        // The run says how many lines are stored: the log is read only when it holds new ones.
        while next <= run.log_lines {
            let stored = usize::try_from(run.log_lines - next + 1).unwrap_or(PAGE);
            let lines = engine.store().log_read(run_id, next, PAGE.min(stored)).await?;
            let Some(last) = lines.last() else { break };
            next = last.seq + 1;
            if !emit(FollowEvent::Lines(lines)).await {
                return Ok(());
            }
        }
        // The writer stores every line before the run is marked final: nothing follows.
        if run.status.is_final() {
            emit(FollowEvent::End(run)).await;
            return Ok(());
        }
        match wait_for_change(engine, run_id, &run, &mut changes).await? {
            Some(now) if now.status.is_final() => run = now,
            Some(now) => {
                if !emit(FollowEvent::Status(now.clone())).await {
                    return Ok(());
                }
                run = now;
            }
            None => {}
        }
    }
}

/// What [`follow_each`] hands its viewer.
#[derive(Debug)]
pub enum Followed<'a> {
    /// Lines of one stream, step and time, borrowed from their stored chunk.
    Lines(LogLinesRef<'a>),
    /// The end of the lines read at once: what a viewer buffers should go out now.
    PageEnd,
    /// The run changed (status, exit code...).
    Status(Run),
    /// The run ended and every line was handed over; nothing follows.
    End(Run),
}

/// [`follow`] a run of lines at a time (see [`LogLinesRef`]), each borrowed from the stored chunk
/// it is read from. Stops early, without error, when `emit` returns false.
pub async fn follow_each(
    engine: &Engine,
    run_id: i64,
    from_seq: i64,
    mut emit: impl FnMut(Followed<'_>) -> bool,
) -> Result<()> {
    let mut next = from_seq.max(1);
    // Subscribed before the first read: a change from then on wakes the wait below.
    let mut changes = engine.changes();
    let mut run = engine.store().run_get(run_id).await?;
    if !emit(Followed::Status(run.clone())) {
        return Ok(());
    }
    let mut open = true;
    loop {
        // The run says how many lines are stored: the log is read only when it holds new ones.
        while next <= run.log_lines {
            // No more than the run has stored: the visit then ends without asking for more.
            let stored = usize::try_from(run.log_lines - next + 1).unwrap_or(EACH_PAGE);
            let seen = engine
                .store()
                .log_visit_runs(run_id, next, EACH_PAGE.min(stored), |lines| {
                    next = lines.first_seq + lines.count as i64;
                    open = open && emit(Followed::Lines(lines));
                })
                .await?;
            if !open {
                return Ok(());
            }
            if seen == 0 {
                break;
            }
            if !emit(Followed::PageEnd) {
                return Ok(());
            }
        }
        // The writer stores every line before the run is marked final: nothing follows.
        if run.status.is_final() {
            emit(Followed::End(run));
            return Ok(());
        }
        match wait_for_change(engine, run_id, &run, &mut changes).await? {
            Some(now) if now.status.is_final() => run = now,
            Some(now) => {
                if !emit(Followed::Status(now.clone())) {
                    return Ok(());
                }
                run = now;
            }
            None => {}
        }
    }
}

/// Waits for a change of this engine since the last wait (or [`POLL`], for runs of other
/// processes), then reads the run: returned when it differs from `last` (its status, its stored
/// lines...), `None` when not.
async fn wait_for_change(
    engine: &Engine,
    run_id: i64,
    last: &Run,
    changes: &mut tokio::sync::watch::Receiver<u64>,
) -> Result<Option<Run>> {
    let _ = tokio::time::timeout(POLL, changes.changed()).await;
    let run = engine.store().run_get(run_id).await?;
    Ok((run != *last).then_some(run))
}
