//! Transfer progress as a few readable log lines instead of thousands of counters.

use std::time::{Duration, Instant};

/// Turns libgit2's progress counters into at most one line every [`EVERY`], plus the last one.
pub(crate) struct Progress<'a> {
    emit: Box<dyn FnMut(String) + 'a>,
    last: Option<Instant>,
    done_objects: bool,
    done_deltas: bool,
}

const EVERY: Duration = Duration::from_millis(750);

/// Bytes for people: `812 KiB`, `3.4 MiB`.
pub(crate) fn size(bytes: usize) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.0} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / KIB / KIB)
    }
}

impl<'a> Progress<'a> {
    /// Progress lines go to `emit`.
    pub(crate) fn new(emit: impl FnMut(String) + 'a) -> Progress<'a> {
        Progress { emit: Box::new(emit), last: None, done_objects: false, done_deltas: false }
    }

    /// A plain line.
    pub(crate) fn line(&mut self, text: impl Into<String>) {
        (self.emit)(text.into());
    }

    /// One transfer update.
    pub(crate) fn transfer(&mut self, stats: &git2::Progress<'_>) {
        let (received, total) = (stats.received_objects(), stats.total_objects());
        let (resolved, deltas) = (stats.indexed_deltas(), stats.total_deltas());
        if total == 0 {
            return;
        }
        let objects_done = received == total;
        let deltas_done = deltas > 0 && resolved == deltas;
        let due = self.last.is_none_or(|t| t.elapsed() >= EVERY);
        if objects_done && !self.done_objects {
            self.done_objects = true;
            self.line(format!("Received {total} objects ({})", size(stats.received_bytes())));
            self.last = Some(Instant::now());
        } else if deltas_done && !self.done_deltas {
            self.done_deltas = true;
            self.line(format!("Resolved {deltas} deltas"));
            self.last = Some(Instant::now());
        } else if due && !objects_done && received > 0 {
            self.line(format!(
                "Receiving objects: {}% ({received}/{total}), {}",
                received * 100 / total,
                size(stats.received_bytes())
            ));
            self.last = Some(Instant::now());
        } else if due && deltas > 0 && !deltas_done {
            self.line(format!("Resolving deltas: {}% ({resolved}/{deltas})", resolved * 100 / deltas));
            self.last = Some(Instant::now());
        }
    }
}
