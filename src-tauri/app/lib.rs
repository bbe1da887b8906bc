//! The simple-cicd desktop app: a thin Tauri shell around the engine. It opens the engine once in
//! `setup()`, manages it whole, exposes the engine's API as commands, and turns engine events into
//! Tauri events. Nothing here decides anything about runs.

mod commands;
mod error;
mod events;
mod state;

use std::sync::Arc;

use simple_cicd_engine::model::ServerStatus;
use simple_cicd_engine::{Engine, EngineOptions};
use tauri::Manager;

use crate::events::TauriEvents;
use crate::state::AppState;

/// Starts the webhook and API server on `server.listen` unless `server.enabled` is off. A taken
/// port is not fatal: the app runs, and the UI shows why webhooks cannot arrive.
async fn start_server(engine: &Engine) -> ServerStatus {
    let off = |error: String| ServerStatus { listening: false, address: None, error: Some(error) };
    let setting = |key: &'static str| simple_cicd_engine::settings::config_get(engine, key);
    let enabled = setting("server.enabled").await.ok().and_then(|s| s.value.as_bool()).unwrap_or(true);
    if !enabled {
        return off("the server is switched off (setting server.enabled)".into());
    }
    let listen = setting("server.listen").await.ok().and_then(|s| s.value.as_str().map(str::to_string));
    let Some(addr) = listen.as_deref().and_then(|l| l.parse().ok()) else {
        return off(format!("the setting server.listen ({listen:?}) is not an address"));
    };
    match simple_cicd_server::start(engine.clone(), addr, std::future::pending()).await {
        Ok(server) => ServerStatus { listening: true, address: Some(server.addr.to_string()), error: None },
        Err(e) => {
            tracing::warn!(error = %e, "the webhook server did not start");
            off(e)
        }
    }
}

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
            let server = tauri::async_runtime::block_on(start_server(&engine));
            // Polling and cron run for as long as the app does; webhooks need the server.
            tauri::async_runtime::spawn({
                let engine = engine.clone();
                async move {
                    let _ = simple_cicd_engine::trigger::spawn_scheduler(&engine).await;
                }
            });
            app.manage(AppState::new(engine, server));
            // Screenshots and demos open a given page, e.g. SIMPLE_CICD_START_ROUTE=/runs/3.
            if let (Ok(route), Some(window)) =
                (std::env::var("SIMPLE_CICD_START_ROUTE"), app.get_webview_window("main"))
            {
                let _ = window.eval(format!("location.hash = {}", serde_json::Value::String(route)));
            }
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
            commands::repos::repo_list,
            commands::repos::repo_save,
            commands::repos::repo_delete,
            commands::repos::repo_test,
            commands::triggers::trigger_overview,
            commands::triggers::cron_preview,
            commands::triggers::webhook_secret_generate,
            commands::triggers::webhook_secret_reveal,
            commands::triggers::server_status,
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
