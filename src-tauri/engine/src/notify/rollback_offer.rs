//! A failed deploy's desktop notification offers "Roll back to #N": when a run that launched an
//! app failed after changing it (a failed revision was recorded) and the app has an earlier
//! deployed revision, the notification of the run's end carries a button that relaunches that
//! last good revision, as `app_rollback` does (a run of its own, "rollback to #N"). The watch of
//! the button ends, and the notification closes, when it is chosen, dismissed, or after an hour.
//! Left out: withdrawing the offer when the app is redeployed meanwhile (the rollback then simply
//! runs, as from the App page).

use std::time::Duration;

use notify_rust::NotificationHandle;

use super::desktop::{DesktopNote, OnClick};
use super::question::{wait_choice, Outcome, OPEN};
use crate::model::{Run, RunStatus};
use crate::{api, Engine};

/// What choosing "Roll back" does: called at most once, from the watching thread; must not block.
pub type RollbackHook = Box<dyn FnOnce() + Send>;

/// The action key of the button.
pub(crate) const ROLL_BACK: &str = "rollback";

/// How long the button stays on offer.
const EXPIRES_IN: Duration = Duration::from_secs(3600);

/// A run's end, with a button that rolls its app back.
pub struct RollbackOffer {
    /// What it says; a click on it opens `note.run_id` (the failed run).
    pub note: DesktopNote,
    /// The revision the button returns to (its label says `#N`).
    pub revision: u32,
    /// Starts the rollback.
    pub roll_back: RollbackHook,
    /// The notification is closed after this long at the latest.
    pub expires_in: Duration,
}

impl std::fmt::Debug for RollbackOffer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RollbackOffer").field("note", &self.note).field("revision", &self.revision).finish()
    }
}

/// The offer for `run`'s end notification `note`, when the run is a failed deploy with a good
/// revision to go back to.
pub(crate) async fn for_run(engine: &Engine, run: &Run, note: DesktopNote) -> Result<RollbackOffer, DesktopNote> {
    if !matches!(run.status, RunStatus::Failed | RunStatus::TimedOut | RunStatus::Interrupted) {
        return Err(note);
    }
    let Ok(Some((app, revision))) = engine.store().app_last_good_before_failure(run.id).await else {
        return Err(note);
    };
    let (engine, runtime) = (engine.clone(), tokio::runtime::Handle::current());
    let roll_back: RollbackHook = Box::new(move || {
        runtime.spawn(async move {
            match api::app_rollback(&engine, &crate::auth::Caller::desktop(), &app, revision).await {
                Ok(run) => tracing::info!(app, revision, run_id = run.id, "rollback started from the notification"),
                Err(e) => tracing::warn!(app, revision, error = %e, "the rollback from the notification did not start"),
            }
        });
    });
    Ok(RollbackOffer { note, revision, roll_back, expires_in: EXPIRES_IN })
}

/// Watches a shown offer until it is settled, then acts on the choice. Blocking: runs on the
/// caller's thread, which must not be a tokio worker.
pub(crate) fn watch(handle: NotificationHandle, offer: RollbackOffer, on_click: Option<OnClick>) {
    match wait_choice(handle, None, offer.expires_in) {
        Outcome::Chose(key) if key == ROLL_BACK => (offer.roll_back)(),
        Outcome::Chose(key) if key == OPEN => {
            if let Some(open) = on_click {
                open(offer.note.run_id);
            }
        }
        Outcome::Chose(_) | Outcome::Gone => {}
    }
}
