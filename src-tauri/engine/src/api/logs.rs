//! Whole-log operations for the log viewer: search and saving to a file. Both read the stored
//! (already masked) lines; neither loads the whole log into the UI.

use std::io::Write;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{LogLineRef, LogLinesRef};
use crate::Engine;

/// Where a text occurs in a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LogSearch {
    /// The seq of each matching line, in order (at most `limit`).
    #[ts(type = "Array<number>")]
    pub seqs: Vec<i64>,
    /// How many lines match in all.
    #[ts(type = "number")]
    pub total: i64,
}

/// Calls `visit` with every line of run `id`'s log, in order, each borrowed from the stored chunk
/// it is read from: the whole log for the cost of reading it once (`scicd logs`).
pub async fn run_log_scan(engine: &Engine, id: i64, visit: impl FnMut(LogLineRef<'_>)) -> Result<()> {
    engine.store().run_get(id).await?;
    engine.store().log_scan(id, visit).await
}

/// [`run_log_scan`] a run of lines of one stream at a time (see [`LogLinesRef`]), for a viewer
/// that prints them as they are stored.
pub async fn run_log_scan_runs(engine: &Engine, id: i64, visit: impl FnMut(LogLinesRef<'_>)) -> Result<()> {
    engine.store().run_get(id).await?;
    engine.store().log_scan_runs(id, visit).await
}

/// Finds the lines containing `query` (case-insensitive; ANSI escapes are ignored).
pub async fn run_log_search(engine: &Engine, id: i64, query: &str, limit: usize) -> Result<LogSearch> {
    engine.store().run_get(id).await?;
    let needle = query.to_lowercase();
    if needle.is_empty() {
        return Ok(LogSearch { seqs: Vec::new(), total: 0 });
    }
    let mut seqs = Vec::new();
    let mut total = 0i64;
    engine
        .store()
        .log_scan(id, |line| {
            if strip_ansi(line.text).to_lowercase().contains(&needle) {
                total += 1;
                if seqs.len() < limit {
                    seqs.push(line.seq);
                }
            }
        })
        .await?;
    Ok(LogSearch { seqs, total })
}

/// Writes a run's whole log (plain text, ANSI escapes removed) to `dir` (default: the user's
/// Downloads folder) as `<template>-<number>.log`, and returns the file's path.
pub async fn run_log_save(engine: &Engine, id: i64, dir: Option<PathBuf>) -> Result<PathBuf> {
    let run = engine.store().run_get(id).await?;
    let dir = dir.or_else(dirs::download_dir).or_else(dirs::home_dir).unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let path = dir.join(format!("{}-{}.log", run.template, run.number));
    let file = std::fs::File::create(&path).map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let mut out = std::io::BufWriter::new(file);
    let mut failed = None;
    engine
        .store()
        .log_scan(id, |line| {
            if failed.is_none() {
                if let Err(e) = writeln!(out, "{}", strip_ansi(line.text)) {
                    failed = Some(e);
                }
            }
        })
        .await?;
    if let Some(e) = failed.or_else(|| out.flush().err()) {
        return Err(Error::io(format!("cannot write {}", path.display()), e));
    }
    Ok(path)
}

/// The text without ANSI escape sequences (CSI `ESC [ ... letter` and OSC `ESC ] ... BEL`).
pub fn strip_ansi(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::strip_ansi;

    #[test]
    fn colours_and_titles_are_removed_text_is_kept() {
        assert_eq!(strip_ansi("\u{1b}[1;31merror\u{1b}[0m: x"), "error: x");
        assert_eq!(strip_ansi("\u{1b}]0;title\u{7}after"), "after");
        assert_eq!(strip_ansi("plain"), "plain");
    }
}
