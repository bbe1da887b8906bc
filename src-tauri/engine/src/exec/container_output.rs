//! Reading a container's output (an attach or logs stream from Docker) into a run's log, to the
//! stream's own end.
//!
//! A container can finish long before its output has been read: the daemon holds what the reader
//! has not taken yet. So the step waits for the stream to end by itself after the container has
//! stopped, never for a fixed time. It gives up only when the stream stops moving altogether
//! ([`IDLE_LIMIT`] without a byte) or breaks, and then says so: the caller turns that into a step
//! that did not succeed, because lines may be missing.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bollard::container::LogOutput;
use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::log::{LineSplitter, Lines};
use crate::model::LogStream;

/// How long the output may stand still after the container stopped before the reader gives up.
pub(crate) const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// A Docker output stream (attach or logs).
pub(crate) type OutputStream = Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;

/// The task copying a container's output into the log.
pub(crate) struct OutputTail {
    task: JoinHandle<Result<(), String>>,
    /// Items taken from the stream, so far, and whether the task is handing lines to the log
    /// right now: how [`OutputTail::finish`] tells a slow stream or a slow log from a dead stream.
    progress: Arc<Progress>,
}

#[derive(Default)]
struct Progress {
    items: AtomicU64,
    handing_over: std::sync::atomic::AtomicBool,
}

impl OutputTail {
    /// Starts copying `output` into the log through `tx`.
    pub(crate) fn start(output: OutputStream, tx: mpsc::Sender<Lines>) -> OutputTail {
        let progress = Arc::new(Progress::default());
        let task = tokio::spawn(copy(output, tx, progress.clone()));
        OutputTail { task, progress }
    }

    /// Waits until the whole output is in the log. `Err` says why some of it may be missing.
    pub(crate) async fn finish(self) -> Result<(), String> {
        self.finish_within(IDLE_LIMIT).await
    }

    async fn finish_within(mut self, idle: Duration) -> Result<(), String> {
        let mut seen = self.progress.items.load(Ordering::Relaxed);
        loop {
            match tokio::time::timeout(idle, &mut self.task).await {
                Ok(Ok(result)) => return result,
                Ok(Err(e)) => return Err(format!("the reader of the container's output stopped: {e}")),
                Err(_) => {
                    let now = self.progress.items.load(Ordering::Relaxed);
                    if now == seen && !self.progress.handing_over.load(Ordering::Relaxed) {
                        self.task.abort();
                        return Err(format!(
                            "Docker sent nothing more for {}s after the container stopped and did not close its \
                             output: the end of the log may be missing",
                            idle.as_secs()
                        ));
                    }
                    seen = now;
                }
            }
        }
    }
}

async fn copy(mut output: OutputStream, tx: mpsc::Sender<Lines>, progress: Arc<Progress>) -> Result<(), String> {
    let mut out = LineSplitter::new(LogStream::Stdout);
    let mut err = LineSplitter::new(LogStream::Stderr);
    let mut broken = None;
    while let Some(item) = output.next().await {
        let mut lines = Lines::new();
        match item {
            Ok(LogOutput::StdErr { message }) => err.push_into(&message, &mut lines),
            Ok(LogOutput::StdOut { message } | LogOutput::Console { message }) => out.push_into(&message, &mut lines),
            Ok(LogOutput::StdIn { .. }) => {}
            Err(e) => {
                broken = Some(format!("the container's output stream from Docker broke: {e}"));
                break;
            }
        }
        progress.items.fetch_add(1, Ordering::Relaxed);
        if !lines.is_empty() {
            progress.handing_over.store(true, Ordering::Relaxed);
            let sent = tx.send(lines).await;
            progress.handing_over.store(false, Ordering::Relaxed);
            if sent.is_err() {
                return Err("the run's log was closed while the container's output was still coming".into());
            }
        }
    }
    let mut rest = Lines::new();
    out.finish_into(&mut rest);
    err.finish_into(&mut rest);
    if !rest.is_empty() && tx.send(rest).await.is_err() {
        return Err("the run's log was closed before the container's last line".into());
    }
    broken.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(items: Vec<Result<LogOutput, bollard::errors::Error>>, then_hang: bool) -> OutputStream {
        let s = futures_util::stream::iter(items);
        if then_hang {
            Box::pin(s.chain(futures_util::stream::pending()))
        } else {
            Box::pin(s)
        }
    }

    fn out(text: &str) -> Result<LogOutput, bollard::errors::Error> {
        Ok(LogOutput::StdOut { message: text.as_bytes().to_vec().into() })
    }

    async fn collect(mut rx: mpsc::Receiver<Lines>) -> Vec<String> {
        let mut lines = Vec::new();
        while let Some(batch) = rx.recv().await {
            lines.extend(batch.iter().map(|l| l.text.to_string()));
        }
        lines
    }

    #[tokio::test]
    async fn every_line_is_read_however_slowly_the_log_takes_them() {
        // A channel of one batch and a consumer that lags: the tail waits, it never drops.
        let (tx, rx) = mpsc::channel(1);
        let items = (0..500).map(|i| out(&format!("line {i}\n"))).collect();
        let tail = OutputTail::start(stream(items, false), tx);
        let consumer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            collect(rx).await
        });
        assert_eq!(tail.finish_within(Duration::from_millis(100)).await, Ok(()));
        let lines = consumer.await.unwrap();
        assert_eq!(lines.len(), 500, "no line is dropped while the log is slow");
        assert_eq!(lines.last().map(String::as_str), Some("line 499"));
    }

    #[tokio::test]
    async fn a_last_line_without_newline_is_kept() {
        let (tx, rx) = mpsc::channel(8);
        let tail = OutputTail::start(stream(vec![out("a\nb")], false), tx);
        assert_eq!(tail.finish().await, Ok(()));
        assert_eq!(collect(rx).await, ["a", "b"]);
    }

    #[tokio::test]
    async fn a_broken_stream_is_reported_not_taken_for_the_end() {
        let (tx, rx) = mpsc::channel(8);
        let broken = Err(bollard::errors::Error::IOError { err: std::io::Error::other("connection reset") });
        let tail = OutputTail::start(stream(vec![out("a\n"), broken], false), tx);
        let why = tail.finish().await.unwrap_err();
        assert!(why.contains("broke") && why.contains("connection reset"), "{why}");
        assert_eq!(collect(rx).await, ["a"], "what came before the break is kept");
    }

    #[tokio::test]
    async fn a_stream_that_stands_still_is_given_up_with_a_reason() {
        let (tx, _rx) = mpsc::channel(8);
        let tail = OutputTail::start(stream(vec![out("a\n")], true), tx);
        let why = tail.finish_within(Duration::from_millis(100)).await.unwrap_err();
        assert!(why.contains("may be missing"), "{why}");
    }
}
