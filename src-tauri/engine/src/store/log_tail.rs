//! The newest log chunks of the runs this process is writing, kept in memory for its readers.
//!
//! A live viewer (`scicd run`, the desktop app's run page, an SSE follower) reads each chunk just
//! after the writer stored it. Read back through SQLite, that chunk comes from the WAL page by
//! page (a `pread` each): for a million-line run that read-back cost a third of the whole run. The
//! writer hands every stored chunk here as well, and [`Store::log_read`](super::Store::log_read)
//! takes a chunk from here when it holds the line asked for.
//!
//! Only what the database holds is kept (a chunk is added after its transaction committed, and
//! chunks are never changed), so a reader gets the same lines either way; a line another process
//! wrote is simply not here and is read from the database. A line past the last one kept of a run
//! this process writes is not asked of the database either: the follower that asked it caught up,
//! and the next chunk (kept the moment its transaction commits, and announced by the change
//! signal after that) wakes it. Asking found that chunk committed and not yet kept often enough
//! that a live viewer decompressed a third of a million-line log from the database. A run's chunks are dropped when its
//! writer closes, and the oldest chunks of all runs when the budget is used up.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use super::LogChunk;

/// Bytes of chunks kept at most, over every run.
const BUDGET: usize = 16 << 20;

#[derive(Debug, Default)]
pub(crate) struct LogTail {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Each run's chunks by their first line.
    runs: HashMap<i64, BTreeMap<i64, Arc<LogChunk>>>,
    /// The last line kept of each run this process writes (its chunks may have been dropped since).
    last: HashMap<i64, i64>,
    /// Every kept chunk, oldest first, to drop when over the budget.
    order: VecDeque<(i64, i64)>,
    bytes: usize,
}

impl LogTail {
    /// Keeps a chunk of run `run_id` that the database now holds.
    pub(crate) fn add(&self, run_id: i64, chunk: Arc<LogChunk>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.bytes += chunk.data.len();
        let last = chunk.first_seq + chunk.line_count - 1;
        let kept = inner.last.entry(run_id).or_insert(last);
        *kept = (*kept).max(last);
        inner.order.push_back((run_id, chunk.first_seq));
        inner.runs.entry(run_id).or_default().insert(chunk.first_seq, chunk);
        while inner.bytes > BUDGET {
            let Some((run, first)) = inner.order.pop_front() else { break };
            inner.drop_chunk(run, first);
        }
    }

    /// The kept chunk of run `run_id` that holds line `seq`.
    pub(crate) fn get(&self, run_id: i64, seq: i64) -> Option<Arc<LogChunk>> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (_, chunk) = inner.runs.get(&run_id)?.range(..=seq).next_back()?;
        (seq < chunk.first_seq + chunk.line_count).then(|| chunk.clone())
    }

    /// Whether line `seq` of run `run_id` comes after every line stored so far, as far as this
    /// process knows it: the run's writer is here, and kept no line from `seq` on yet.
    pub(crate) fn past_the_end(&self, run_id: i64, seq: i64) -> bool {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.last.get(&run_id).is_some_and(|last| seq > *last)
    }

    /// Drops every chunk of run `run_id` (its writer closed).
    pub(crate) fn forget(&self, run_id: i64) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.last.remove(&run_id);
        if let Some(chunks) = inner.runs.remove(&run_id) {
            inner.bytes -= chunks.values().map(|c| c.data.len()).sum::<usize>();
            inner.order.retain(|(run, _)| *run != run_id);
        }
    }
}

impl Inner {
    fn drop_chunk(&mut self, run_id: i64, first_seq: i64) {
        if let Some(chunks) = self.runs.get_mut(&run_id) {
            if let Some(chunk) = chunks.remove(&first_seq) {
                self.bytes -= chunk.data.len();
            }
            if chunks.is_empty() {
                self.runs.remove(&run_id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(first_seq: i64, line_count: i64, bytes: usize) -> Arc<LogChunk> {
        Arc::new(LogChunk { first_seq, line_count, data: vec![0; bytes] })
    }

    #[test]
    fn a_line_is_found_in_the_chunk_that_holds_it_and_nowhere_else() {
        let tail = LogTail::default();
        tail.add(7, chunk(1, 10, 100));
        tail.add(7, chunk(11, 5, 100));
        assert_eq!(tail.get(7, 1).map(|c| c.first_seq), Some(1));
        assert_eq!(tail.get(7, 10).map(|c| c.first_seq), Some(1));
        assert_eq!(tail.get(7, 15).map(|c| c.first_seq), Some(11));
        assert!(tail.get(7, 16).is_none(), "past the last kept line");
        assert!(tail.get(8, 1).is_none(), "another run");
    }

    #[test]
    fn the_oldest_chunks_go_first_when_the_budget_is_used_up() {
        let tail = LogTail::default();
        tail.add(1, chunk(1, 1, BUDGET / 2));
        tail.add(2, chunk(1, 1, BUDGET / 2));
        tail.add(1, chunk(2, 1, BUDGET / 2));
        assert!(tail.get(1, 1).is_none(), "the oldest chunk was dropped");
        assert!(tail.get(2, 1).is_some() && tail.get(1, 2).is_some());
    }

    #[test]
    fn only_a_line_after_the_last_kept_of_a_run_written_here_is_past_the_end() {
        let tail = LogTail::default();
        assert!(!tail.past_the_end(7, 1), "a run written elsewhere: the database is asked");
        tail.add(7, chunk(1, 10, BUDGET));
        tail.add(8, chunk(1, 10, BUDGET));
        assert!(tail.get(7, 10).is_none(), "run 7's chunk was dropped for the budget");
        assert!(!tail.past_the_end(7, 10), "its lines are still in the database");
        assert!(tail.past_the_end(7, 11), "the next line is not stored yet");
        tail.forget(7);
        assert!(!tail.past_the_end(7, 11), "once the writer closed, the database has the last word");
    }

    #[test]
    fn a_forgotten_run_keeps_nothing_and_frees_its_bytes() {
        let tail = LogTail::default();
        tail.add(1, chunk(1, 3, 1000));
        tail.add(2, chunk(1, 3, 1000));
        tail.forget(1);
        assert!(tail.get(1, 1).is_none());
        let inner = tail.inner.lock().unwrap();
        assert_eq!((inner.bytes, inner.order.len()), (1000, 1));
    }
}
