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
        let open = match changed(engine, run_id, &mut last_run).await? {
            Some(run) if run.status.is_final() => {
                // The writer stores every line before the run is marked final: one last read is enough.
                let rest = engine.store().log_read(run_id, next, usize::MAX).await?;
                if !rest.is_empty() && !emit(FollowEvent::Lines(rest)).await {
                    return Ok(());
                }
                emit(FollowEvent::End(run)).await;
                return Ok(());
            }
            Some(run) => emit(FollowEvent::Status(run)).await,
            None => true,
        };
        if !open {
            return Ok(());
        }
        // Woken at once by this engine's changes; runs of other processes are polled.
        let _ = tokio::time::timeout(POLL, changes.changed()).await;
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
    let mut last_run = engine.store().run_get(run_id).await?;
    if !emit(Followed::Status(last_run.clone())) {
        return Ok(());
    }
    let mut open = true;
    loop {
        let mut changes = engine.changes();
        let seen = engine
            .store()
            .log_visit_runs(run_id, next, EACH_PAGE, |lines| {
                next = lines.first_seq + lines.count as i64;
                open = open && emit(Followed::Lines(lines));
            })
            .await?;
        if !open {
            return Ok(());
        }
        if seen > 0 {
            if !emit(Followed::PageEnd) {
                return Ok(());
            }
            continue;
        }
        let going = match changed(engine, run_id, &mut last_run).await? {
            Some(run) if run.status.is_final() => {
                // The writer stores every line before the run is marked final: one last read is enough.
                engine
                    .store()
                    .log_visit_runs(run_id, next, usize::MAX, |lines| open = open && emit(Followed::Lines(lines)))
                    .await?;
                if open && emit(Followed::PageEnd) {
                    emit(Followed::End(run));
                }
                return Ok(());
            }
            Some(run) => emit(Followed::Status(run)),
            None => true,
        };
        if !going {
            return Ok(());
        }
        // Woken at once by this engine's changes; runs of other processes are polled.
        let _ = tokio::time::timeout(POLL, changes.changed()).await;
    }
}

/// The run as it is now, when it differs from `last` (which it then becomes): a final run
/// always, a run still going only when it changed.
async fn changed(engine: &Engine, run_id: i64, last: &mut Run) -> Result<Option<Run>> {
    let run = engine.store().run_get(run_id).await?;
    if run.status.is_final() {
        *last = run.clone();
        return Ok(Some(run));
    }
    if run == *last {
        return Ok(None);
    }
    *last = run.clone();
    Ok(Some(run))
}
