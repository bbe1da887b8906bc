//! The `log_chunks` table: a run's log as consecutive chunks of encoded lines.
//!
//! One row per flushed batch (not per line) keeps a million-line log cheap to write; a reader
//! finds the chunk holding any line through the primary key.

use super::Store;
use crate::error::Result;
use crate::log::chunk;
use futures_util::TryStreamExt;

use crate::model::{LogLine, LogLineRef};

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
    /// Appends a chunk and moves the run's line count, in one transaction.
    pub async fn log_append(&self, run_id: i64, chunk: &LogChunk) -> Result<()> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("INSERT INTO log_chunks (run_id, first_seq, line_count, data) VALUES (?, ?, ?, ?)")
            .bind(run_id)
            .bind(chunk.first_seq)
            .bind(chunk.line_count)
            .bind(&chunk.data)
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

    /// Up to `limit` lines with `seq >= from_seq`, in order.
    pub async fn log_read(&self, run_id: i64, from_seq: i64, limit: usize) -> Result<Vec<LogLine>> {
        let from_seq = from_seq.max(1);
        let mut out = Vec::new();
        let mut cursor = from_seq;
        while out.len() < limit {
            // Two index seeks: the chunk holding `cursor`, then the chunks from there on.
            let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT first_seq, data FROM log_chunks WHERE run_id = ?1 AND first_seq >= COALESCE( \
                   (SELECT MAX(first_seq) FROM log_chunks WHERE run_id = ?1 AND first_seq <= ?2), 0) \
                 ORDER BY first_seq LIMIT 4",
            )
            .bind(run_id)
            .bind(cursor)
            .fetch_all(self.pool())
            .await?;
            let before = out.len();
            if rows.is_empty() {
                break;
            }
            for (first_seq, data) in rows {
                chunk::decode_into(first_seq, &data, cursor, limit, &mut out)?;
                if out.len() >= limit {
                    break;
                }
            }
            if out.len() == before {
                break;
            }
            cursor = out.last().map_or(cursor, |l| l.seq + 1);
        }
        Ok(out)
    }
}

impl Store {
    /// Calls `visit` with every line of a run's log, in order, chunk by chunk, each borrowed from
    /// its chunk (one query; one chunk in memory at a time).
    pub async fn log_scan(&self, run_id: i64, mut visit: impl FnMut(LogLineRef<'_>)) -> Result<()> {
        let mut rows = sqlx::query_as("SELECT first_seq, data FROM log_chunks WHERE run_id = ? ORDER BY first_seq")
            .bind(run_id)
            .fetch(self.pool());
        loop {
            let row: Option<(i64, Vec<u8>)> = rows.try_next().await?;
            let Some((first_seq, data)) = row else { break };
            chunk::visit(first_seq, &data, first_seq, |line| {
                visit(line);
                true
            })?;
        }
        Ok(())
    }
}
