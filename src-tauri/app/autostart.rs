//! "Start at login" (setting `app.startAtLogin`), through tauri-plugin-autostart: an XDG autostart
//! entry on Linux, a launch agent on macOS, a registry value on Windows. A login start passes
//! [`AUTOSTART_ARG`], so the app starts in the tray instead of opening its window.

use simple_cicd_engine::settings;
use tauri::{AppHandle, Manager};
use tauri_plugin_autostart::ManagerExt;

use crate::state::AppState;

/// The argument of a start at login.
pub const AUTOSTART_ARG: &str = "--autostart";

/// Makes the OS registration match the setting. The message says what failed.
pub async fn apply(app: &AppHandle) -> Result<(), String> {
    let engine = app.state::<AppState>().engine.clone();
    let want = settings::flag(&engine, "app.startAtLogin").await;
    let launcher = app.autolaunch();
    if launcher.is_enabled().ok() == Some(want) {
        return Ok(());
    }
    let done = if want { launcher.enable() } else { launcher.disable() };
    done.map_err(|e| {
        let verb = if want { "register" } else { "unregister" };
        format!("cannot {verb} simple-cicd to start at login: {e}")
    })
}

/// Whether this process was started at login.
pub fn started_at_login() -> bool {
    std::env::args().any(|a| a == AUTOSTART_ARG)
}
