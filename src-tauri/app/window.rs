//! The main window from outside the page: bringing it back (tray, second launch, notification
//! click) and asking the UI to show a page (event `app://navigate` with a [`NavigateTo`]).

use simple_cicd_engine::model::NavigateTo;
use tauri::{AppHandle, Emitter, Manager};

/// The main window's label (tauri.conf.json).
pub const MAIN: &str = "main";

/// Shows, unminimises and focuses the main window.
pub fn show_main(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Shows the main window on a page.
pub fn navigate(app: &AppHandle, to: NavigateTo) {
    show_main(app);
    let _ = app.emit_to(MAIN, "app://navigate", to);
}
