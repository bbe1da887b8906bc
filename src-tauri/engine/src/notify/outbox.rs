//! The background work of notifications: tracked, so a short-lived process (`scicd run`) can
//! wait for its e-mails before it exits, and a missing notification server is reported once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

use super::{DesktopNote, DesktopQuestion, NoNotifier, Notifier, RollbackOffer};
use crate::model::{now_ms, rfc3339, EmailState};
use crate::Engine;

/// How an engine notifies.
#[derive(Clone)]
pub struct NotifyOptions {
    /// Shows desktop notifications.
    pub notifier: Arc<dyn Notifier>,
    /// Waits between e-mail attempts; one attempt more than delays. Only transient failures
    /// (no connection, 4xx answers) are retried.
    pub email_retry_delays: Vec<Duration>,
}

impl Default for NotifyOptions {
    fn default() -> Self {
        NotifyOptions {
            notifier: Arc::new(NoNotifier),
            email_retry_delays: vec![Duration::from_secs(5), Duration::from_secs(30), Duration::from_secs(120)],
        }
    }
}

/// Pending notification work of one engine.
pub struct Outbox {
    options: NotifyOptions,
    pending: Mutex<Vec<(i64, JoinHandle<()>)>>,
    desktop_down: AtomicBool,
}

impl Outbox {
    pub(crate) fn new(options: NotifyOptions) -> Outbox {
        Outbox { options, pending: Mutex::new(Vec::new()), desktop_down: AtomicBool::new(false) }
    }

    pub(crate) fn retry_delays(&self) -> &[Duration] {
        &self.options.email_retry_delays
    }

    pub(crate) fn track(&self, run_id: i64, task: JoinHandle<()>) {
        let mut pending = self.pending.lock().expect("outbox lock");
        pending.retain(|(_, t)| !t.is_finished());
        pending.push((run_id, task));
    }

    /// Shows a desktop notification. A missing server is logged once (and once more when it is
    /// back), never returned: the caller has nothing to do about it.
    pub(crate) async fn show(&self, note: DesktopNote) {
        let notifier = self.options.notifier.clone();
        let run_id = note.run_id;
        let shown = tokio::task::spawn_blocking(move || notifier.show(&note)).await;
        self.shown(run_id, shown);
    }

    /// Shows a question on the desktop; a missing server is handled as by [`Outbox::show`].
    pub(crate) async fn ask(&self, question: DesktopQuestion) {
        let notifier = self.options.notifier.clone();
        let run_id = question.note.run_id;
        let shown = tokio::task::spawn_blocking(move || notifier.ask(question)).await;
        self.shown(run_id, shown);
    }

    /// Shows a failed deploy's end with its Roll back button; a missing server is handled as by
    /// [`Outbox::show`].
    pub(crate) async fn offer(&self, offer: RollbackOffer) {
        let notifier = self.options.notifier.clone();
        let run_id = offer.note.run_id;
        let shown = tokio::task::spawn_blocking(move || notifier.offer(offer)).await;
        self.shown(run_id, shown);
    }

    fn shown(&self, run_id: i64, shown: Result<Result<(), super::Unavailable>, tokio::task::JoinError>) {
        match shown {
            Ok(Ok(())) => {
                if self.desktop_down.swap(false, Ordering::Relaxed) {
                    tracing::info!("desktop notifications are shown again");
                }
            }
            Ok(Err(e)) if !self.desktop_down.swap(true, Ordering::Relaxed) => tracing::warn!(
                run_id,
                "desktop notifications are skipped: no notification server answers ({e}); they resume when one does"
            ),
            Ok(Err(e)) => tracing::debug!(run_id, error = %e, "desktop notification skipped"),
            Err(e) => tracing::warn!(run_id, error = %e, "the desktop notification task failed"),
        }
    }

    /// Waits until the pending work is done, at most `limit`. Work still pending then is
    /// abandoned, and e-mails still unsent are marked failed with why. Returns how many tasks
    /// were abandoned. Safe to cancel (dropping the future abandons nothing), and `limit` zero
    /// gives up on everything pending at once.
    pub async fn settle(&self, engine: &Engine, limit: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let abandoned: Vec<i64> = {
                let mut pending = self.pending.lock().expect("outbox lock");
                pending.retain(|(_, t)| !t.is_finished());
                if pending.is_empty() {
                    return 0;
                }
                if tokio::time::Instant::now() < deadline {
                    Vec::new()
                } else {
                    pending
                        .drain(..)
                        .map(|(run_id, task)| {
                            task.abort();
                            run_id
                        })
                        .collect()
                }
            };
            if !abandoned.is_empty() {
                for run_id in &abandoned {
                    give_up(engine, *run_id).await;
                }
                return abandoned.len();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn give_up(engine: &Engine, run_id: i64) {
    let Ok(run) = engine.store().run_get(run_id).await else { return };
    let Some(mut email) = run.email.filter(|e| e.state == EmailState::Pending) else { return };
    let last = email.message.take().map(|m| format!(" (last attempt: {m})")).unwrap_or_default();
    email.state = EmailState::Failed;
    email.message = Some(format!("simple-cicd stopped before the e-mail could be sent{last}"));
    email.updated_at = rfc3339(now_ms());
    if engine.store().run_set_email(run_id, &email).await.is_ok() {
        engine.emit_run(run_id).await;
    }
}
