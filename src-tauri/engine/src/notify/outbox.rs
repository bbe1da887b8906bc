//! The background work of notifications: tracked, so a short-lived process (`scicd run`) can
//! wait for its e-mails before it exits, and a missing notification server is reported once.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
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
    running: Arc<Running>,
}

/// How many tracked tasks have not ended yet, and the wake-up of whoever waits for none.
#[derive(Default)]
struct Running {
    count: AtomicUsize,
    done: Notify,
}

/// Held by a tracked task for as long as it exists: dropped when it ends or is aborted.
struct Working(Arc<Running>);

impl Drop for Working {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.done.notify_waiters();
        }
    }
}

impl Outbox {
    pub(crate) fn new(options: NotifyOptions) -> Outbox {
        Outbox {
            options,
            pending: Mutex::new(Vec::new()),
            desktop_down: AtomicBool::new(false),
            running: Arc::new(Running::default()),
        }
    }

    pub(crate) fn retry_delays(&self) -> &[Duration] {
        &self.options.email_retry_delays
    }

    /// Spawns `work` (the notifications of run `run_id`, 0 for none) and tracks it until it ends.
    /// It counts as pending from this call on, before it is first polled.
    pub(crate) fn spawn(&self, run_id: i64, work: impl std::future::Future<Output = ()> + Send + 'static) {
        self.running.count.fetch_add(1, Ordering::AcqRel);
        let working = Working(self.running.clone());
        let task = tokio::spawn(async move {
            let _working = working;
            work.await;
        });
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
            // Woken by the last task's end (registered before the count is read, so that end
            // cannot slip in between).
            let all_done = self.running.done.notified();
            tokio::pin!(all_done);
            all_done.as_mut().enable();
            if self.running.count.load(Ordering::Acquire) == 0 {
                return 0;
            }
            if tokio::time::Instant::now() >= deadline {
                let abandoned: Vec<i64> = self
                    .pending
                    .lock()
                    .expect("outbox lock")
                    .drain(..)
                    .filter(|(_, task)| !task.is_finished())
                    .map(|(run_id, task)| {
                        task.abort();
                        run_id
                    })
                    .collect();
                for run_id in &abandoned {
                    give_up(engine, *run_id).await;
                }
                return abandoned.len();
            }
            let _ = tokio::time::timeout_at(deadline, all_done).await;
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
