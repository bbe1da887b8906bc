//! The engine's events as Tauri events: `run://status` with the run as payload.

use simple_cicd_engine::model::Run;
use simple_cicd_engine::EventSink;
use tauri::{AppHandle, Emitter};

/// Emits engine events to every window.
pub struct TauriEvents {
    app: AppHandle,
}

impl TauriEvents {
    /// Events for `app`.
    pub fn new(app: AppHandle) -> TauriEvents {
        TauriEvents { app }
    }
}

impl EventSink for TauriEvents {
    fn run_changed(&self, run: &Run) {
        let _ = self.app.emit("run://status", run);
    }
}
