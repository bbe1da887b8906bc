//! Desktop notifications. The engine hands a [`DesktopNote`] (news), a [`DesktopQuestion`] (an
//! approval waits) or a [`RollbackOffer`] (a deploy failed) to a [`Notifier`]; the app and `scicd` use [`DesktopNotifier`]
//! (notify-rust: the freedesktop D-Bus service on Linux), tests use their own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use super::desktop_labels::ActionLabels;
use super::question::{self, DesktopQuestion};
use super::rollback_offer::{self, RollbackOffer};
use crate::model::RunStatus;

/// One notification about a run's end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesktopNote {
    /// The run, for a click to open.
    pub run_id: i64,
    /// Its outcome.
    pub status: RunStatus,
    /// `hello #12 failed`.
    pub summary: String,
    /// `failed after 1m 12s, exit code 1`.
    pub body: String,
}

/// No notification server (none running, the session bus is gone, ...). Not an engine error:
/// the engine logs it once and goes on.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

/// Shows desktop notifications.
///
/// `show` is called on a blocking thread (D-Bus calls block), at most a few times per run end,
/// possibly from several threads at once. It returns once the server took the notification; it
/// must not wait for the user. Each call is independent: a failure says nothing about the next.
pub trait Notifier: Send + Sync + 'static {
    /// Shows one notification.
    fn show(&self, note: &DesktopNote) -> Result<(), Unavailable>;

    /// Shows a question: `question.note` with Approve / Decline buttons whose click calls
    /// `question.answer`. Returns once the server took it, like `show`; the watch for a click
    /// runs elsewhere and ends as [`DesktopQuestion`] says. A notifier without buttons shows the
    /// note alone (the default).
    fn ask(&self, question: DesktopQuestion) -> Result<(), Unavailable> {
        self.show(&question.note)
    }

    /// Shows a failed deploy's end with a "Roll back to #N" button whose click calls
    /// `offer.roll_back`; returns at once, like `ask`. Without buttons, the note alone (the default).
    fn offer(&self, offer: RollbackOffer) -> Result<(), Unavailable> {
        self.show(&offer.note)
    }
}

/// Shows nothing (tests, hosts without a desktop).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoNotifier;

impl Notifier for NoNotifier {
    fn show(&self, _note: &DesktopNote) -> Result<(), Unavailable> {
        Ok(())
    }
}

/// What a click on a notification does with the run's id (the app opens the run's page).
pub type OnClick = Arc<dyn Fn(i64) + Send + Sync>;

/// At most this many notifications are watched for a click at once; each watch holds a thread
/// until the notification closes (a question: until it is settled). Past it, notifications show
/// without buttons.
const MAX_WATCHED: usize = 8;

/// Desktop notifications through notify-rust, with buttons in the OS language.
#[derive(Clone)]
pub struct DesktopNotifier {
    on_click: Option<OnClick>,
    watched: Arc<AtomicUsize>,
    labels: ActionLabels,
    /// Whether a failed deploy's notification carries Roll back (not in a process that ends
    /// with its run: the button would outlive it).
    offers: bool,
}

impl Default for DesktopNotifier {
    fn default() -> Self {
        DesktopNotifier { on_click: None, watched: Arc::default(), labels: ActionLabels::for_os(), offers: true }
    }
}

impl DesktopNotifier {
    /// Notifications without click handling (`scicd`); an approval's buttons still answer it.
    pub fn new() -> DesktopNotifier {
        DesktopNotifier::default()
    }

    /// Notifications whose click (where the server supports actions) calls `on_click` with the
    /// run id, from a background thread.
    pub fn with_click(on_click: impl Fn(i64) + Send + Sync + 'static) -> DesktopNotifier {
        DesktopNotifier { on_click: Some(Arc::new(on_click)), ..DesktopNotifier::default() }
    }

    /// The same notifier for a process that ends soon after its run (`scicd run`): a failed
    /// deploy's notification shows without Roll back, which nothing would be left to answer.
    pub fn short_lived(self) -> DesktopNotifier {
        DesktopNotifier { offers: false, ..self }
    }

    /// The same notifier with the buttons of `locale` (`zh-CN`, `en-US`) instead of the OS's.
    pub fn in_language(self, locale: &str) -> DesktopNotifier {
        DesktopNotifier { labels: ActionLabels::for_locale(locale), ..self }
    }

    /// Takes a watch slot, if one is free; [`Slot`] gives it back when dropped.
    fn slot(&self) -> Option<Slot> {
        let taken = self.watched.fetch_add(1, Ordering::Relaxed);
        if taken < MAX_WATCHED {
            Some(Slot(self.watched.clone()))
        } else {
            self.watched.fetch_sub(1, Ordering::Relaxed);
            None
        }
    }
}

impl DesktopNotifier {
    /// Shows `note` with `buttons` (action key, label) and, when clicks open runs, the click; it
    /// stays until `watch` (on a thread of its own, which holds a watch slot) closes it: a
    /// question or an offer does not expire on the server's clock. Without a free slot, the note
    /// alone, saying so in the log.
    fn show_with_buttons(
        &self,
        note: &DesktopNote,
        buttons: &[(&str, &str)],
        thread: &str,
        watch: impl FnOnce(notify_rust::NotificationHandle, Option<OnClick>) + Send + 'static,
    ) -> Result<(), Unavailable> {
        let Some(slot) = self.slot() else {
            tracing::warn!(run_id = note.run_id, "too many notifications watched: this one shows without its buttons");
            return self.show(note);
        };
        let mut n = notification(note);
        n.timeout(notify_rust::Timeout::Never);
        for (key, label) in buttons {
            n.action(key, label);
        }
        if self.on_click.is_some() {
            n.action("default", self.labels.open);
        }
        let handle = n.show().map_err(|e| Unavailable(e.to_string()))?;
        let on_click = self.on_click.clone();
        let _ = std::thread::Builder::new().name(thread.into()).spawn(move || {
            watch(handle, on_click);
            drop(slot);
        });
        Ok(())
    }
}

/// One watched notification; dropping it frees its place.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

fn notification(note: &DesktopNote) -> notify_rust::Notification {
    let mut n = notify_rust::Notification::new();
    n.appname("simple-cicd").summary(&note.summary).body(&note.body).icon(icon(note.status));
    n
}

fn icon(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Succeeded => "emblem-default",
        RunStatus::Failed | RunStatus::Interrupted => "dialog-error",
        _ => "dialog-warning",
    }
}

impl Notifier for DesktopNotifier {
    fn show(&self, note: &DesktopNote) -> Result<(), Unavailable> {
        let mut n = notification(note);
        n.timeout(notify_rust::Timeout::Milliseconds(10_000));
        let watch = self.on_click.clone().and_then(|on_click| Some((on_click, self.slot()?)));
        if watch.is_some() {
            n.action("default", self.labels.open);
        }
        let handle = n.show().map_err(|e| Unavailable(e.to_string()))?;
        if let Some((on_click, slot)) = watch {
            let run_id = note.run_id;
            let _ = std::thread::Builder::new().name("notification-click".into()).spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" {
                        on_click(run_id);
                    }
                });
                drop(slot);
            });
        }
        Ok(())
    }

    fn ask(&self, question: DesktopQuestion) -> Result<(), Unavailable> {
        let buttons = [(question::APPROVE, self.labels.approve), (question::DECLINE, self.labels.decline)];
        let note = question.note.clone();
        self.show_with_buttons(&note, &buttons, "notification-question", move |handle, on_click| {
            question::watch(handle, question, on_click)
        })
    }

    fn offer(&self, offer: RollbackOffer) -> Result<(), Unavailable> {
        if !self.offers {
            return self.show(&offer.note);
        }
        let label = format!("{} #{}", self.labels.roll_back, offer.revision);
        let note = offer.note.clone();
        self.show_with_buttons(
            &note,
            &[(rollback_offer::ROLL_BACK, &label)],
            "notification-rollback",
            move |handle, on_click| rollback_offer::watch(handle, offer, on_click),
        )
    }
}
