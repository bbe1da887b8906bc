//! The simple-cicd desktop app: a thin Tauri shell around the engine. It opens the engine once in
//! `setup()`, manages it whole, exposes the engine's API as commands, and turns engine events into
//! Tauri events. Nothing here decides anything about runs.

mod commands;
mod error;
mod events;
mod state;

use std::sync::Arc;

use simple_cicd_engine::{Engine, EngineOptions};
use tauri::Manager;

use crate::events::TauriEvents;
use crate::state::AppState;

/// Builds and runs the app until its last window closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SIMPLE_CICD_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let app = tauri::Builder::default()
        .setup(|app| {
            let events = Arc::new(TauriEvents::new(app.handle().clone()));
            let grace = std::env::var("SIMPLE_CICD_CANCEL_GRACE_SECONDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(std::time::Duration::from_secs);
            let options = EngineOptions { events, cancel_grace: grace, adopt_queued: true, ..EngineOptions::default() };
            let engine = match tauri::async_runtime::block_on(Engine::open(options)) {
                Ok(engine) => engine,
                Err(e) => {
                    eprintln!("simple-cicd cannot start: {e}");
                    std::process::exit(2);
                }
            };
            app.manage(AppState::new(engine));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::app::app_painted,
            commands::templates::template_list,
            commands::templates::template_get,
            commands::templates::template_save,
            commands::templates::template_delete,
            commands::templates::template_export_yaml,
            commands::templates::template_import_yaml,
            commands::templates::template_parse_yaml,
            commands::runs::run_start,
            commands::runs::run_get,
            commands::runs::run_list,
            commands::runs::run_cancel,
            commands::runs::run_logs,
            commands::runs::run_follow,
            commands::runs::run_unfollow,
            commands::runs::run_log_search,
            commands::runs::run_log_save,
            commands::runs::dashboard_stats,
            commands::settings::config_list,
            commands::settings::config_set,
            commands::settings::secret_list,
            commands::settings::secret_set,
            commands::settings::secret_delete,
            commands::settings::storage_usage,
            commands::settings::storage_cleanup,
        ])
        .build(tauri::generate_context!())
        .expect("the Tauri context is built into the binary");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Runs of this process end cancelled rather than interrupted, and leave nothing behind.
            let state = handle.state::<AppState>();
            tauri::async_runtime::block_on(state.engine.shutdown());
        }
    });
}
