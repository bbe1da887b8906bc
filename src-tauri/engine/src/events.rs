//! How the engine tells its host (the desktop app, the server) that something changed.
//! The engine never sees a window: the app implements [`EventSink`] over Tauri events.

use crate::model::Run;

/// Receives lifecycle events. Called from engine tasks; must not block.
pub trait EventSink: Send + Sync + 'static {
    /// A run was created or changed status.
    fn run_changed(&self, run: &Run);

    /// False when every event is dropped: the engine then does not read a changed run back just
    /// to hand it over.
    fn listens(&self) -> bool {
        true
    }
}

/// Drops every event (the CLI, tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoEvents;

impl EventSink for NoEvents {
    fn run_changed(&self, _run: &Run) {}

    fn listens(&self) -> bool {
        false
    }
}
