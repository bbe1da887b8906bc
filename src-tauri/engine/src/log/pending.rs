//! The log writer's lines on their way into the database: the chunk being filled, and the chunk
//! being stored meanwhile.
//!
//! Storing a chunk (a transaction on SQLite's own thread) took as long as masking and encoding
//! it, and the writer did one after the other. Now a full chunk is handed to a task that stores
//! it while the writer fills the next; the next is handed over only once that store is done, so
//! chunks reach the database in order and at most one is on its way. What a chunk's store makes
//! visible (the in-memory tail for this process's readers, the change signal that wakes them)
//! happens as soon as its transaction commits, not when the writer next looks.
//!
//! A chunk that cannot be stored goes back in front of the lines that came after it, and the
//! next flush tries them all again; past [`MAX_PENDING_BYTES`] they are dropped and counted,
//! and the log says how many.

use std::sync::Arc;

use tokio::task::JoinHandle;

use super::block::Builder;
use super::chunk;
use super::lines::LinesRun;
use super::writer::RawLine;
use crate::model::{now_ms, LogStream};
use crate::store::{LogChunk, Store};

/// Upper bound of lines per chunk. Each chunk costs a transaction, a wake-up of every live
/// follower and their reads, whatever its size: a million lines of `seq` took 30 ms less CPU in
/// chunks of 32768 lines than of 8192 (65536 saved little more).
pub(crate) const MAX_BATCH_LINES: usize = 32768;
const MAX_BATCH_BYTES: usize = 1 << 20;
/// Lines kept in memory while they cannot be stored (a full disk); beyond this they are dropped
/// and the log says how many.
const MAX_PENDING_BYTES: usize = 64 << 20;

/// The chunk being filled and the one being stored.
pub(super) struct Pending {
    store: Store,
    run_id: i64,
    signal: crate::Signal,
    /// The chunk being filled.
    building: Builder,
    /// The seq of its first line.
    first_seq: i64,
    /// Its lines.
    count: i64,
    /// The chunk on its way into the database.
    storing: Option<Storing>,
    /// Lines dropped because they could not be stored, not yet reported in the log.
    lost: i64,
    /// Lines dropped in all.
    lost_total: i64,
    /// The last storage error.
    last_error: Option<String>,
    /// The last attempt to store failed: wait for the deadline before the next.
    failing: bool,
}

struct Storing {
    chunk: Arc<LogChunk>,
    task: JoinHandle<crate::error::Result<()>>,
}

impl Pending {
    /// Lines for run `run_id`, whose log already holds `existing` lines.
    pub(super) fn new(store: Store, run_id: i64, existing: i64, signal: crate::Signal) -> Pending {
        Pending {
            store,
            run_id,
            signal,
            building: Builder::default(),
            first_seq: existing + 1,
            count: 0,
            storing: None,
            lost: 0,
            lost_total: 0,
            last_error: None,
            failing: false,
        }
    }

    /// Adds a (masked) line.
    pub(super) fn push(&mut self, stream: LogStream, step: Option<u16>, ts: i64, text: &str) {
        self.building.push(stream, step, ts, text);
        self.count += 1;
    }

    /// Adds a run of (masked) lines.
    pub(super) fn push_run(&mut self, run: LinesRun<'_>) {
        self.building.push_lines(run.stream, run.step, run.ts, run.count, run.texts);
        self.count += run.count as i64;
    }

    /// How many lines the chunk takes before it is full (any number while stores fail).
    pub(super) fn room(&self) -> usize {
        if self.failing {
            return usize::MAX;
        }
        MAX_BATCH_LINES.saturating_sub(self.count as usize)
    }

    /// Adds a (masked) line of its own.
    pub(super) fn push_line(&mut self, line: &RawLine) {
        self.push(line.stream, line.step, line.ts, &line.text);
    }

    /// Lines not yet handed to the database.
    pub(super) fn waiting(&self) -> i64 {
        self.count
    }

    /// Whether the chunk is full and should be stored now (not while stores fail: then the
    /// next attempt waits for the deadline).
    pub(super) fn full(&self) -> bool {
        !self.failing && (self.count as usize >= MAX_BATCH_LINES || self.building.bytes() >= MAX_BATCH_BYTES)
    }

    /// Lines dropped in all, counting those still waiting (for the writer's report at its end),
    /// and the last storage error.
    pub(super) fn dropped(&self) -> (i64, Option<&str>) {
        (self.lost_total + self.count, self.last_error.as_deref())
    }

    /// Waits for the chunk being stored, then starts storing the lines waiting (if any).
    pub(super) async fn flush(&mut self) {
        self.collect().await;
        if self.count == 0 {
            return;
        }
        let data = self.building.finish();
        let chunk = Arc::new(LogChunk { first_seq: self.first_seq, line_count: self.count, data });
        self.first_seq += self.count;
        self.count = 0;
        let (store, run_id, signal, stored) = (self.store.clone(), self.run_id, self.signal.clone(), chunk.clone());
        let task = tokio::spawn(async move {
            store.log_append(run_id, &stored).await?;
            store.log_tail_keep(run_id, stored);
            signal.send_modify(|v| *v += 1);
            Ok(())
        });
        self.storing = Some(Storing { chunk, task });
    }

    /// [`Pending::flush`], and waits until those lines are stored (or could not be).
    pub(super) async fn settle(&mut self) {
        self.flush().await;
        self.collect().await;
    }

    /// Waits for the chunk being stored and takes its outcome.
    async fn collect(&mut self) {
        let Some(Storing { chunk, task }) = self.storing.take() else { return };
        let outcome = match task.await {
            Ok(outcome) => outcome.map_err(|e| e.to_string()),
            Err(e) => Err(format!("the task storing log lines stopped: {e}")),
        };
        match outcome {
            Ok(()) => {
                self.failing = false;
                if self.lost > 0 {
                    let why = self.last_error.as_deref().unwrap_or("unknown error");
                    let text = format!("{} log line(s) could not be stored ({why}) and were dropped", self.lost);
                    self.push_line(&RawLine { stream: LogStream::System, ts: now_ms(), text, step: None, cut: false });
                    self.lost = 0;
                }
            }
            Err(e) => {
                // Keep the lines, in front of those that came since, and try again with the next
                // flush; the run reports the error if the last flush fails too.
                tracing::warn!(run_id = self.run_id, error = %e, "cannot store log lines; will retry");
                let since = self.building.finish();
                let mut again = Builder::default();
                let mut refill = |first_seq, data: &[u8]| {
                    chunk::visit_runs(first_seq, data, first_seq, |run| {
                        again.push_stored(run);
                        true
                    })
                };
                // Both chunks were encoded here: they decode (a failure would be a bug, and
                // shows as lines missing from the count the log reports).
                let _ = refill(chunk.first_seq, &chunk.data);
                let _ = refill(self.first_seq, &since);
                let undecoded = (chunk.line_count + self.count - again.lines() as i64).max(0);
                self.lost += undecoded;
                self.lost_total += undecoded;
                self.first_seq = chunk.first_seq;
                self.count = again.lines() as i64;
                self.building = again;
                if self.building.bytes() > MAX_PENDING_BYTES {
                    self.lost += self.count;
                    self.lost_total += self.count;
                    self.count = 0;
                    self.building = Builder::default();
                }
                self.last_error = Some(e);
                self.failing = true;
            }
        }
    }
}
