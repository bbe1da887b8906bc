//! Desktop notifications. The engine hands a [`DesktopNote`] to a [`Notifier`]; the app and
//! `scicd` use [`DesktopNotifier`] (notify-rust: the freedesktop D-Bus service on Linux), tests
//! use their own.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

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
/// until the notification closes.
const MAX_WATCHED: usize = 8;

/// Desktop notifications through notify-rust.
#[derive(Clone, Default)]
pub struct DesktopNotifier {
    on_click: Option<OnClick>,
    watched: Arc<AtomicUsize>,
}

impl DesktopNotifier {
    /// Notifications without click handling (`scicd`).
    pub fn new() -> DesktopNotifier {
        DesktopNotifier::default()
    }

    /// Notifications whose click (where the server supports actions) calls `on_click` with the
    /// run id, from a background thread.
    pub fn with_click(on_click: impl Fn(i64) + Send + Sync + 'static) -> DesktopNotifier {
        DesktopNotifier { on_click: Some(Arc::new(on_click)), watched: Arc::default() }
    }
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
        let mut n = notify_rust::Notification::new();
        n.appname("simple-cicd")
            .summary(&note.summary)
            .body(&note.body)
            .icon(icon(note.status))
            .timeout(notify_rust::Timeout::Milliseconds(10_000));
        let watch = self.on_click.clone().filter(|_| self.watched.load(Ordering::Relaxed) < MAX_WATCHED);
        if watch.is_some() {
            n.action("default", "Open run");
        }
        let handle = n.show().map_err(|e| Unavailable(e.to_string()))?;
        if let Some(on_click) = watch {
            let watched = self.watched.clone();
            watched.fetch_add(1, Ordering::Relaxed);
            let run_id = note.run_id;
            let spawned = std::thread::Builder::new().name("notification-click".into()).spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" {
                        on_click(run_id);
                    }
                });
                watched.fetch_sub(1, Ordering::Relaxed);
            });
            if spawned.is_err() {
                self.watched.fetch_sub(1, Ordering::Relaxed);
            }
        }
        Ok(())
    }
}
