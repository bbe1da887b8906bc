//! A question on the desktop: a notification with Approve / Decline buttons for an approval step
//! that waits. The engine says what an answer does ([`DesktopQuestion::answer`]) and when the
//! question is moot ([`DesktopQuestion::withdrawn`], [`DesktopQuestion::expires_in`]); a
//! [`Notifier`](super::Notifier) that can show buttons watches for them on a thread of its own.
//!
//! The watch of one question ends, and its notification is closed, at the first of: a button or
//! the notification itself was clicked, the server closed it (the user dismissed it, or the
//! server went away), the engine withdrew it (answered elsewhere, cancelled, timed out), or it
//! expired. Left out: comments typed into the notification (no server supports inline replies
//! widely enough).

use std::time::Duration;

use notify_rust::{NotificationHandle, NotificationResponse};
use tokio::sync::oneshot;

use super::desktop::{DesktopNote, OnClick};

/// What a question's answer does: called at most once, from the watching thread, with `true`
/// for Approve and `false` for Decline. It must not block for long.
pub type AnswerHook = Box<dyn FnOnce(bool) + Send>;

/// A notification that asks for an approval.
pub struct DesktopQuestion {
    /// What it says; a click on it opens `note.run_id`.
    pub note: DesktopNote,
    /// Records the answer.
    pub answer: AnswerHook,
    /// Resolves (or its sender is dropped) once the question needs no answer any more: the
    /// notification is then closed.
    pub withdrawn: oneshot::Receiver<()>,
    /// The notification is closed after this long at the latest (the approval's own timeout).
    pub expires_in: Duration,
}

impl std::fmt::Debug for DesktopQuestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesktopQuestion").field("note", &self.note).field("expires_in", &self.expires_in).finish()
    }
}

/// The action keys the question's notification carries.
pub(crate) const APPROVE: &str = "approve";
pub(crate) const DECLINE: &str = "decline";
/// A click on the notification itself.
pub(crate) const OPEN: &str = "default";

/// What the user did with a notification that has buttons.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// This action's key.
    Chose(String),
    /// Closed, withdrawn or expired without a choice.
    Gone,
}

/// Watches a shown question until it is settled (see the module docs), then acts on the choice.
/// Blocking: runs on the caller's thread, which must not be a tokio worker.
pub(crate) fn watch(handle: NotificationHandle, question: DesktopQuestion, on_click: Option<OnClick>) {
    let DesktopQuestion { note, answer, withdrawn, expires_in } = question;
    match wait_choice(handle, Some(withdrawn), expires_in) {
        Outcome::Chose(key) if key == APPROVE => answer(true),
        Outcome::Chose(key) if key == DECLINE => answer(false),
        Outcome::Chose(key) if key == OPEN => {
            if let Some(open) = on_click {
                open(note.run_id);
            }
        }
        Outcome::Chose(_) | Outcome::Gone => {}
    }
}

/// Waits for the first of: an action of the shown notification was chosen, the server closed it,
/// `withdrawn` resolved (when given), `expires_in` passed; then closes it. Blocking, like
/// [`watch`].
pub(crate) fn wait_choice(
    handle: NotificationHandle,
    withdrawn: Option<oneshot::Receiver<()>>,
    expires_in: Duration,
) -> Outcome {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_time().build() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::warn!(error = %e, "a notification's buttons cannot be watched: they do nothing");
            return Outcome::Gone;
        }
    };
    runtime.block_on(async {
        let chosen = async {
            let mut outcome = Outcome::Gone;
            handle
                .wait_for_action_async(|response| {
                    outcome = match response {
                        NotificationResponse::Default => Outcome::Chose(OPEN.into()),
                        NotificationResponse::Action(key) => Outcome::Chose(key.clone()),
                        _ => Outcome::Gone,
                    }
                })
                .await;
            outcome
        };
        let withdrawn = async {
            match withdrawn {
                Some(w) => {
                    let _ = w.await;
                }
                None => std::future::pending().await,
            }
        };
        let outcome = tokio::select! {
            outcome = chosen => outcome,
            () = withdrawn => Outcome::Gone,
            () = tokio::time::sleep(expires_in) => Outcome::Gone,
        };
        // Chosen, withdrawn or expired: the notification goes (closing a closed one is ignored).
        handle.close_async().await;
        outcome
    })
}
