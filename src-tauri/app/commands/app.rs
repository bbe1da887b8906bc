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

/// Called by the UI once the first page has painted. When SIMPLE_CICD_BENCH_READY_FILE is set
/// (benchmarks), writes the current time in unix ms there.
#[tauri::command]
pub fn app_painted() {
    if let Some(path) = std::env::var_os("SIMPLE_CICD_BENCH_READY_FILE") {
        let _ = std::fs::write(path, now_ms().to_string());
    }
}
