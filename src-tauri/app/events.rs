//! The engine's events as Tauri events: `run://status` with the run as payload. Each also asks the
//! tray to look again.

use simple_cicd_engine::model::Run;
use simple_cicd_engine::EventSink;
use tauri::{AppHandle, Emitter, Manager};

use crate::tray::Tray;

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
        if let Some(tray) = self.app.try_state::<Tray>() {
            tray.wake();
        }
    }
}
