//! Numbering, batching and storing a run's lines.
//!
//! Lines arrive from the readers (stdout, stderr) and from the engine (system lines) through one
//! channel, so their order is the order of arrival. They are stored in chunks: every
//! [`FLUSH_EVERY`] or [`MAX_BATCH_LINES`](super::pending::MAX_BATCH_LINES) lines, whichever comes
//! first, each stored while the next fills (see [`Pending`]). After each stored chunk the
//! engine's change signal is bumped, which wakes live followers in this process; followers in other processes
//! poll the database. Before the run parks (an approval wait), [`LogWriter::sync`] stores what is
//! pending at once, so a process killed while the run waits loses none of the log before the wait
//! (what [`Uncut`] held back of a step's cut line goes in when the step's writer closes).

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::lines::Lines;
use super::mask::Masker;
use super::pending::Pending;
use super::uncut::Uncut;
use crate::model::{now_ms, LogStream};
use crate::store::Store;

/// How long a line may wait before it is stored (and visible to followers).
pub(crate) const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Batches of lines a writer's channel holds before a reader waits: a reader sends a batch per
/// read or per few thousand lines, so a few keep the writer busy while memory stays small (256
/// let a million-line output pile up in memory, a line at a time, ahead of the writer).
const WRITER_QUEUE: usize = 16;

/// A line before it is numbered.
#[derive(Debug, Clone)]
pub(crate) struct RawLine {
    pub stream: LogStream,
    pub ts: i64,
    pub text: String,
    /// The pipeline step that wrote it.
    pub step: Option<u16>,
    /// The line goes on in the next line of its stream: it was longer than the reader's limit.
    pub cut: bool,
}

/// The handle through which lines are written to one run's log.
pub(crate) struct LogWriter {
    tx: mpsc::Sender<Lines>,
    /// Requests to store every line sent so far, and news of a step's end.
    sync: mpsc::UnboundedSender<Control>,
    task: JoinHandle<WriterReport>,
    /// The step whose lines this writer marks (a pipeline step's writer).
    step: Option<u16>,
}

/// What a writer task is told besides lines.
enum Control {
    /// Store every line sent so far; answered once they are stored (or cannot be).
    Sync(oneshot::Sender<()>),
    /// A step's writer closed: every line of the step was sent, and what is held back of a cut
    /// line of it (see [`Uncut`]) can go into the log now rather than when the run's log closes.
    StepEnded(u16),
}

/// What the writer task reports when the log is closed.
#[derive(Debug, Default)]
pub(crate) struct WriterReport {
    /// Why lines are missing from the log, if any are: how many, and the storage error.
    pub error: Option<String>,
}

impl LogWriter {
    /// Starts the writer of run `run_id`, whose log already holds `existing` lines.
    pub(crate) fn start(store: Store, run_id: i64, existing: i64, signal: crate::Signal, masker: Masker) -> LogWriter {
        let (tx, rx) = mpsc::channel(WRITER_QUEUE);
        let (sync, sync_rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(write_loop(store, run_id, existing, rx, sync_rx, signal, masker));
        LogWriter { tx, sync, task, step: None }
    }

    /// A writer for pipeline step `step`: its lines (from every reader it hands a sender to) are
    /// marked with the step and go into this run's log. Close it before the run's writer.
    pub(crate) fn for_step(&self, step: u16) -> LogWriter {
        let (tx, mut rx) = mpsc::channel::<Lines>(WRITER_QUEUE);
        let (sync, mut sync_rx) = mpsc::unbounded_channel::<Control>();
        let run = self.tx.clone();
        let run_sync = self.sync.clone();
        let task = tokio::spawn(async move {
            let forward = |mut lines: Lines| {
                lines.set_step(step);
                lines
            };
            loop {
                tokio::select! {
                    received = rx.recv() => match received {
                        Some(lines) => if run.send(forward(lines)).await.is_err() { break },
                        None => break,
                    },
                    Some(control) = sync_rx.recv() => {
                        let Control::Sync(ack) = control else { continue };
                        // What was sent before the request is queued here: pass it on, then ask
                        // the run's writer to store it.
                        while let Ok(lines) = rx.try_recv() {
                            if run.send(forward(lines)).await.is_err() {
                                break;
                            }
                        }
                        let (stored, done) = oneshot::channel();
                        if run_sync.send(Control::Sync(stored)).is_ok() {
                            let _ = done.await;
                        }
                        let _ = ack.send(());
                    }
                }
            }
            // Every line of the step was passed on (the run's writer takes them in order, before this).
            let _ = run_sync.send(Control::StepEnded(step));
            WriterReport::default()
        });
        LogWriter { tx, sync, task, step: Some(step) }
    }

    /// A sender for a reader task.
    pub(crate) fn sender(&self) -> mpsc::Sender<Lines> {
        self.tx.clone()
    }

    /// A writer of simple-cicd's own lines for blocking threads (git transfers). It holds no
    /// strong sender, so it never delays [`LogWriter::close`]; lines written after it are dropped.
    pub(crate) fn system_lines(&self) -> impl FnMut(String) + Send + 'static {
        let tx = self.tx.downgrade();
        move |text| {
            if let Some(tx) = tx.upgrade() {
                let _ = tx.blocking_send(Lines::from(RawLine {
                    stream: LogStream::System,
                    ts: now_ms(),
                    text,
                    step: None,
                    cut: false,
                }));
            }
        }
    }

    /// Writes a line of simple-cicd's own.
    pub(crate) async fn system(&self, text: impl Into<String>) {
        let line = RawLine { stream: LogStream::System, ts: now_ms(), text: text.into(), step: self.step, cut: false };
        let _ = self.tx.send(Lines::from(line)).await;
    }

    /// Returns once every line written through this writer so far is stored (or could not be:
    /// a storage error is reported when the log is closed). For the moments the run parks.
    pub(crate) async fn sync(&self) {
        let (ack, done) = oneshot::channel();
        if self.sync.send(Control::Sync(ack)).is_ok() {
            let _ = done.await;
        }
    }

    /// Stores what is pending and stops. Every sender handed out must be dropped first.
    pub(crate) async fn close(self) -> WriterReport {
        drop(self.tx);
        self.task.await.unwrap_or_else(|e| WriterReport { error: Some(format!("log writer stopped: {e}")) })
    }
}

async fn write_loop(
    store: Store,
    run_id: i64,
    existing: i64,
    mut rx: mpsc::Receiver<Lines>,
    mut sync: mpsc::UnboundedReceiver<Control>,
    signal: crate::Signal,
    masker: Masker,
) -> WriterReport {
    let mut pending = Pending::new(store.clone(), run_id, existing, signal);
    let mut uncut = Uncut::new(masker);
    let mut deadline: Option<Instant> = None;
    loop {
        let sleep_until = deadline.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            received = rx.recv() => match received {
                Some(lines) => {
                    take(lines, &mut uncut, &mut pending).await;
                    if pending.waiting() > 0 && deadline.is_none() {
                        deadline = Some(Instant::now() + FLUSH_EVERY);
                    }
                }
                None => {
                    // The output ended on a cut line: what was held back of it.
                    for line in uncut.finish() {
                        pending.push_line(&line);
                    }
                    break;
                }
            },
            Some(control) = sync.recv() => {
                while let Ok(lines) = rx.try_recv() {
                    take(lines, &mut uncut, &mut pending).await;
                }
                match control {
                    Control::Sync(ack) => {
                        pending.settle().await;
                        deadline = (pending.waiting() > 0).then(|| Instant::now() + FLUSH_EVERY);
                        let _ = ack.send(());
                    }
                    Control::StepEnded(step) => {
                        for line in uncut.finish_step(step) {
                            pending.push_line(&line);
                        }
                        if pending.waiting() > 0 && deadline.is_none() {
                            deadline = Some(Instant::now() + FLUSH_EVERY);
                        }
                    }
                }
            }
            () = tokio::time::sleep_until(sleep_until), if deadline.is_some() => {
                pending.flush().await;
                deadline = None;
            }
        }
    }
    for attempt in 0..5 {
        pending.settle().await;
        if pending.waiting() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200 * (attempt + 1))).await;
    }
    store.log_tail_forget(run_id);
    let mut report = WriterReport { error: None };
    // What still could not be stored is lost too; a log with a hole is never reported as whole.
    let (dropped, why) = pending.dropped();
    if dropped > 0 {
        let why = why.unwrap_or("unknown error");
        report.error = Some(format!("cannot store the log: {dropped} line(s) were dropped ({why})"));
    }
    report
}

/// Adds `lines` to the pending chunk, masked (see [`Uncut`]), storing it whenever it is full.
/// Chunks stay within the limit of lines however many lines a reader sends at once (and pass
/// the limit of bytes by one batch at most).
async fn take(lines: Lines, uncut: &mut Uncut, pending: &mut Pending) {
    if uncut.passes_unchanged(&lines) {
        // Nothing to change in any line: their texts go into the chunk a run at a time.
        for mut run in lines.runs() {
            loop {
                let room = pending.room();
                if run.count <= room {
                    pending.push_run(run);
                    break;
                }
                if room > 0 {
                    let (head, tail) = run.split(room);
                    pending.push_run(head);
                    run = tail;
                }
                pending.flush().await;
            }
            if pending.full() {
                pending.flush().await;
            }
        }
        return;
    }
    for line in lines.iter().filter_map(|l| uncut.take_view(l)) {
        pending.push(line.stream, line.step, line.ts, &line.text);
        if pending.full() {
            pending.flush().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::log::mask::Masker;

    /// A store with run 1 in it.
    async fn store_with_a_run(dir: &tempfile::TempDir) -> Store {
        let store = Store::open(&dir.path().join("simple-cicd.db"), None).await.unwrap();
        sqlx::query(
            "INSERT INTO runs (id, template_name, number, status, trigger, params, spec, queued_at, run_key) \
             VALUES (1, 't', 1, 'running', 'manual', '{}', '{}', 0, 'k')",
        )
        .execute(store.pool())
        .await
        .unwrap();
        store
    }

    #[tokio::test]
    async fn a_batch_copied_whole_is_stored_as_sent_and_one_with_a_secret_is_masked_line_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_a_run(&dir).await;
        let signal = Arc::new(tokio::sync::watch::channel(0u64).0);
        let run = LogWriter::start(store.clone(), 1, 0, signal, Masker::new(["s3cr3t-T0ken"]));
        // More lines in one batch than a chunk takes.
        let n = super::super::pending::MAX_BATCH_LINES * 2 + 5;
        let mut plain = Lines::new();
        plain.push_lines(LogStream::Stdout, 5, &(0..n).map(|i| format!("{i}\n")).collect::<String>());
        run.sender().send(plain).await.unwrap();
        let mut secret = Lines::new();
        secret.push_lines(LogStream::Stderr, 6, "before\ntoken=s3cr3t-T0ken\nafter\n");
        run.sender().send(secret).await.unwrap();
        assert!(run.close().await.error.is_none());
        let lines = store.log_read(1, 1, usize::MAX).await.unwrap();
        assert_eq!(lines.len(), n + 3);
        assert!(lines[..n].iter().enumerate().all(|(i, l)| l.text == i.to_string() && l.seq == i as i64 + 1));
        let tail: Vec<_> = lines[n..].iter().map(|l| (l.stream, l.text.as_str())).collect();
        assert_eq!(
            tail,
            [(LogStream::Stderr, "before"), (LogStream::Stderr, "token=******"), (LogStream::Stderr, "after")],
            "a batch that holds a secret is masked"
        );
        let (largest, chunks): (i64, i64) =
            sqlx::query_as("SELECT MAX(line_count), COUNT(*) FROM log_chunks").fetch_one(store.pool()).await.unwrap();
        assert!(
            largest as usize <= super::super::pending::MAX_BATCH_LINES && chunks >= 3,
            "a big batch is split into chunks: {chunks}, of {largest} lines at most"
        );
    }

    #[tokio::test]
    async fn what_a_cut_line_holds_back_is_stored_when_its_step_ends_not_when_the_run_ends() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_a_run(&dir).await;
        let signal = Arc::new(tokio::sync::watch::channel(0u64).0);
        let run = LogWriter::start(store.clone(), 1, 0, signal, Masker::new(["s3cr3t-T0ken"]));
        let step = run.for_step(0);
        // The step's last output: a line the reader cut (longer than its limit) and that never ended.
        let piece = RawLine { stream: LogStream::Stdout, ts: 1, text: "x".repeat(100), step: None, cut: true };
        step.sender().send(Lines::from(piece)).await.unwrap();
        step.close().await;
        // The run now parks (an approval): what it wrote so far must be in the database, because
        // the process may be killed while it waits.
        run.sync().await;
        let stored: usize = store.log_read(1, 1, usize::MAX).await.unwrap().iter().map(|l| l.text.len()).sum();
        assert_eq!(stored, 100, "every character of the step's output is stored before the run waits");
        run.close().await;
        let lines = store.log_read(1, 1, usize::MAX).await.unwrap();
        assert_eq!(lines.iter().map(|l| l.text.len()).sum::<usize>(), 100, "and stored once");
        assert!(lines.iter().all(|l| l.step == Some(0)), "as the step's lines");
    }
}
