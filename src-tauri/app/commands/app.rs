//! About the app itself.

use simple_cicd_engine::model::{now_ms, AppInfo};
use tauri::State;

use crate::state::AppState;

/// Version, data directory and OS locale.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.engine.data_dir().display().to_string(),
        locale: sys_locale::get_locale().unwrap_or_else(|| "en-US".to_string()),
    }
}

/// Called by the UI once the first page has painted (no `mark`), and by instrumented views with
/// a `mark` (`run-log-painted`, `live-lines ...`). Only for benchmarks: when
/// SIMPLE_CICD_BENCH_READY_FILE is set, the first paint writes the time in unix ms there; when
/// SIMPLE_CICD_BENCH_MARKS is set, every call appends `<unix ms> <mark>` to that file.
#[tauri::command]
pub fn app_painted(mark: Option<String>) {
    let now = now_ms();
    if mark.is_none() {
        if let Some(path) = std::env::var_os("SIMPLE_CICD_BENCH_READY_FILE") {
            let _ = std::fs::write(path, now.to_string());
        }
    }
    if let Some(path) = std::env::var_os("SIMPLE_CICD_BENCH_MARKS") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(path) {
            let _ = writeln!(f, "{now} {}", mark.as_deref().unwrap_or("first-paint"));
        }
    }
}
