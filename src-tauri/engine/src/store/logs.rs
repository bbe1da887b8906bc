//! The `log_chunks` table: a run's log as consecutive chunks of encoded lines.
//!
//! One row per flushed batch (not per line) keeps a million-line log cheap to write; a reader
//! finds the chunk holding any line through the primary key.

use super::Store;
use crate::error::Result;
use crate::log::chunk;
use futures_util::TryStreamExt;

use crate::model::{LogLine, LogLineRef, LogLinesRef};

/// A batch of lines ready to store.
#[derive(Debug, Clone)]
pub struct LogChunk {
    /// The seq of its first line.
    pub first_seq: i64,
    /// How many lines it holds.
    pub line_count: i64,
    /// The encoded lines.
    pub data: Vec<u8>,
}

impl Store {
    /// Appends a chunk (compressed, see `chunk::pack`) and moves the run's line count, in one
    /// transaction.
    pub async fn log_append(&self, run_id: i64, chunk: &LogChunk) -> Result<()> {
        let stored = chunk::pack(&chunk.data);
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO log_chunks (run_id, first_seq, line_count, data) VALUES (?, ?, ?, ?)")
            .bind(run_id)
            .bind(chunk.first_seq)
            .bind(chunk.line_count)
            .bind(stored.as_ref())
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE runs SET log_lines = ? WHERE id = ?")
            .bind(chunk.first_seq + chunk.line_count - 1)
            .bind(run_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a chunk [`Store::log_append`] stored in memory for this process's readers of the
    /// run's log, until [`Store::log_tail_forget`] (see `log_tail`).
    pub(crate) fn log_tail_keep(&self, run_id: i64, chunk: std::sync::Arc<LogChunk>) {
        self.log_tail.add(run_id, chunk);
    }

    /// Drops the chunks kept for run `run_id` (its writer closed).
    pub(crate) fn log_tail_forget(&self, run_id: i64) {
        self.log_tail.forget(run_id);
    }

    /// Up to `limit` lines with `seq >= from_seq`, in order.
    pub async fn log_read(&self, run_id: i64, from_seq: i64, limit: usize) -> Result<Vec<LogLine>> {
        let mut out = Vec::new();
        self.log_visit(run_id, from_seq, limit, |line| out.push(line.to_owned_line())).await?;
        Ok(out)
    }

    /// Calls `visit` with up to `limit` lines with `seq >= from_seq`, in order, each borrowed from
    /// its chunk; returns how many it visited.
    pub async fn log_visit(
        &self,
        run_id: i64,
        from_seq: i64,
        limit: usize,
        mut visit: impl FnMut(LogLineRef<'_>),
    ) -> Result<usize> {
        self.log_visit_runs(run_id, from_seq, limit, |run| run.lines().for_each(&mut visit)).await
    }

    /// Calls `visit` with up to `limit` lines with `seq >= from_seq`, in order, a run of lines of
    /// one stream at a time (see [`LogLinesRef`]) borrowed from its chunk (a live follower that
    /// prints them copies no line); returns how many lines it visited.
    pub async fn log_visit_runs(
        &self,
        run_id: i64,
        from_seq: i64,
        limit: usize,
        mut visit: impl FnMut(LogLinesRef<'_>),
    ) -> Result<usize> {
        let mut page = Page { next: from_seq.max(1), seen: 0, limit };
        while page.seen < limit {
            // The chunk this process just wrote, if it is still kept (see log_tail).
            if let Some(kept) = self.log_tail.get(run_id, page.next) {
                page.visit(kept.first_seq, &kept.data, &mut visit)?;
                if page.seen < limit {
                    page.next = kept.first_seq + kept.line_count;
                }
                continue;
            }
            if self.log_tail.past_the_end(run_id, page.next) {
                break;
            }
            // Two index seeks: the chunk holding `next`, then the chunks from there on. A chunk
            // that ends before `next` is left out before its data is read: a live follower asks
            // for the line after the last one stored, and reading the last chunk again for nothing
            // cost a million-line run a quarter of its time.
            let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT first_seq, data FROM log_chunks WHERE run_id = ?1 AND first_seq >= COALESCE( \
                   (SELECT MAX(first_seq) FROM log_chunks WHERE run_id = ?1 AND first_seq <= ?2), 0) \
                   AND first_seq + line_count > ?2 \
                 ORDER BY first_seq LIMIT 4",
            )
            .bind(run_id)
            .bind(page.next)
            .fetch_all(self.pool())
            .await?;
            let before = page.seen;
            for (first_seq, data) in rows {
                page.visit(first_seq, &chunk::unpack(first_seq, &data)?, &mut visit)?;
            }
            if page.seen == before {
                break;
            }
        }
        Ok(page.seen)
    }
}

/// Where a paged read is: the next line wanted and how many lines it visited of its limit.
struct Page {
    next: i64,
    seen: usize,
    limit: usize,
}

impl Page {
    /// Visits the lines of a chunk from `next` on, until the limit.
    fn visit(&mut self, first_seq: i64, data: &[u8], visit: &mut impl FnMut(LogLinesRef<'_>)) -> Result<()> {
        if self.seen >= self.limit {
            return Ok(());
        }
        chunk::visit_runs(first_seq, data, self.next, |run| {
            let run = run.take(self.limit - self.seen);
            visit(run);
            self.seen += run.count;
            self.next = run.first_seq + run.count as i64;
            self.seen < self.limit
        })
    }
}

impl Store {
    /// Calls `visit` with every line of a run's log, in order, chunk by chunk, each borrowed from
    /// its chunk (one query; one chunk in memory at a time).
    pub async fn log_scan(&self, run_id: i64, mut visit: impl FnMut(LogLineRef<'_>)) -> Result<()> {
        self.log_scan_runs(run_id, |run| run.lines().for_each(&mut visit)).await
    }

    /// [`Store::log_scan`] a run of lines of one stream at a time (see [`LogLinesRef`]).
    pub async fn log_scan_runs(&self, run_id: i64, mut visit: impl FnMut(LogLinesRef<'_>)) -> Result<()> {
        let mut rows = sqlx::query_as("SELECT first_seq, data FROM log_chunks WHERE run_id = ? ORDER BY first_seq")
            .bind(run_id)
            .fetch(self.pool());
        loop {
            let row: Option<(i64, Vec<u8>)> = rows.try_next().await?;
            let Some((first_seq, data)) = row else { break };
            chunk::visit_runs(first_seq, &chunk::unpack(first_seq, &data)?, first_seq, |run| {
                visit(run);
                true
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogStream;
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::SqlitePool;

    /// Lines `first..first + count` as one chunk.
    fn chunk_of(first: i64, count: i64) -> LogChunk {
        let mut data = Vec::new();
        for seq in first..first + count {
            chunk::encode_into(&mut data, None, LogStream::Stdout, None, seq, &format!("line {seq}"));
        }
        LogChunk { first_seq: first, line_count: count, data }
    }

    #[tokio::test]
    async fn a_log_written_before_the_chunks_moved_to_a_rowid_table_reads_the_same_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("simple-cicd.db");
        // The schema as it was up to migration 14, with a run and its log in it.
        let options = SqliteConnectOptions::new().filename(&path).create_if_missing(true);
        let pool = SqlitePool::connect_with(options).await.unwrap();
        let mut before =
            sqlx::migrate::Migrator::new(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")))
                .await
                .unwrap();
        before.migrations = before.migrations.iter().filter(|m| m.version < 15).cloned().collect::<Vec<_>>().into();
        before.run(&pool).await.unwrap();
        sqlx::query(
            "INSERT INTO runs (id, template_name, number, status, trigger, params, spec, queued_at, run_key) \
             VALUES (1, 't', 1, 'succeeded', 'manual', '{}', '{}', 0, 'k')",
        )
        .execute(&pool)
        .await
        .unwrap();
        for (first, count) in [(1, 3), (4, 5), (9, 2)] {
            let c = chunk_of(first, count);
            sqlx::query("INSERT INTO log_chunks (run_id, first_seq, line_count, data) VALUES (1, ?, ?, ?)")
                .bind(c.first_seq)
                .bind(c.line_count)
                .bind(c.data)
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;

        let store = Store::open(&path, None).await.unwrap();
        let texts = |lines: Vec<LogLine>| lines.into_iter().map(|l| (l.seq, l.text)).collect::<Vec<_>>();
        let all = texts(store.log_read(1, 1, usize::MAX).await.unwrap());
        assert_eq!(all, (1..=10).map(|s| (s, format!("line {s}"))).collect::<Vec<_>>());
        assert_eq!(texts(store.log_read(1, 6, 2).await.unwrap()), [(6, "line 6".into()), (7, "line 7".into())]);
        assert!(store.log_read(1, 11, 10).await.unwrap().is_empty(), "nothing past the last line");
        let (without_rowid,): (bool,) =
            sqlx::query_as("SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_master WHERE name = 'log_chunks'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(!without_rowid);
    }
}
