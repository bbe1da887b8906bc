//! The simple-cicd desktop app: a thin Tauri shell around the engine. It opens the engine once in
//! `setup()`, manages it whole, exposes the engine's API as commands, and turns engine events into
//! Tauri events. Nothing here decides anything about runs.
//!
//! It behaves like a desktop tool: one instance per session (a second launch focuses the first),
//! a tray icon with quick runs, closing the window keeps it in the tray (setting
//! `app.closeToTray`, only where a tray host shows the icon), the window remembers its size and
//! position, and it can start at login (`app.startAtLogin`).

mod autostart;
mod commands;
mod error;
mod events;
mod start_page;
mod startup_error;
mod state;
mod tray;
mod webview_memory;
mod window;

use std::sync::Arc;

use simple_cicd_engine::model::{NavigateTo, ServerStatus};
use simple_cicd_engine::notify::{DesktopNotifier, NotifyOptions};
use simple_cicd_engine::{settings, Engine, EngineOptions};
use tauri::{Manager, WindowEvent};
use tauri_plugin_window_state::StateFlags;

use crate::events::TauriEvents;
use crate::state::AppState;
use crate::tray::Tray;

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
    webview_memory::before_start();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SIMPLE_CICD_LOG").unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let app = tauri::Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| window::show_main(app)))
        .plugin(
            tauri_plugin_window_state::Builder::default()
                // Visibility is ours: a quit from the tray must not start the next session hidden.
                .with_state_flags(StateFlags::all() & !StateFlags::VISIBLE)
                .build(),
        )
        .plugin(start_page::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec![autostart::AUTOSTART_ARG]),
        ))
        .setup(|app| {
            if let Some(w) = app.get_webview_window(window::MAIN) {
                webview_memory::lighten(&w);
            }
            let events = Arc::new(TauriEvents::new(app.handle().clone()));
            let handle = app.handle().clone();
            let notifier = DesktopNotifier::with_click(move |id| window::navigate(&handle, NavigateTo::Run { id }));
            let notify = NotifyOptions { notifier: Arc::new(notifier), ..NotifyOptions::default() };
            let grace = EngineOptions::cancel_grace_from_env();
            let options =
                EngineOptions { events, cancel_grace: grace, adopt_queued: true, notify, ..EngineOptions::default() };
            let engine = match tauri::async_runtime::block_on(Engine::open(options)) {
                Ok(engine) => engine,
                Err(e) => {
                    // The page cannot work without the engine: only the dialog shows.
                    if let Some(w) = app.get_webview_window(window::MAIN) {
                        let _ = w.hide();
                    }
                    startup_error::exit_with(&e)
                }
            };
            let server = tauri::async_runtime::block_on(start_server(&engine));
            // Polling, cron and the apps watch run for as long as the app does; webhooks need the
            // server.
            tauri::async_runtime::spawn({
                let engine = engine.clone();
                async move {
                    let watch = simple_cicd_engine::deploy::watch::spawn_app_watch(&engine);
                    let _ = simple_cicd_engine::trigger::spawn_scheduler(&engine).await;
                    watch.abort();
                }
            });
            app.manage(AppState::new(engine, server));
            let tray = tray::install(app.handle());
            if autostart::started_at_login() && tray.can_hold_the_app() {
                if let Some(w) = app.get_webview_window(window::MAIN) {
                    let _ = w.hide();
                }
            }
            app.manage(tray);
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                if let Err(e) = autostart::apply(&handle).await {
                    tracing::warn!("{e}");
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                let holds = window.app_handle().try_state::<Tray>().is_some_and(|t| t.can_hold_the_app());
                if window.label() == window::MAIN && holds {
                    // The setting is read off the main thread; the window then hides or closes.
                    api.prevent_close();
                    let window = window.clone();
                    tauri::async_runtime::spawn(async move {
                        let engine = window.app_handle().state::<AppState>().engine.clone();
                        if settings::flag(&engine, "app.closeToTray").await {
                            let _ = window.hide();
                        } else {
                            let _ = window.destroy();
                        }
                    });
                }
            }
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
            commands::templates::template_pin,
            commands::templates::example_get,
            commands::templates::example_import,
            commands::runs::run_start,
            commands::runs::run_get,
            commands::runs::run_list,
            commands::runs::run_cancel,
            commands::runs::run_logs,
            commands::runs::run_steps,
            commands::runs::run_answer,
            commands::runs::run_retry,
            commands::runs::run_follow,
            commands::runs::run_unfollow,
            commands::runs::run_log_search,
            commands::runs::run_log_save,
            commands::runs::dashboard_stats,
            commands::settings::config_list,
            commands::settings::config_set,
            commands::settings::config_unset,
            commands::settings::smtp_test,
            commands::settings::secret_list,
            commands::settings::secret_set,
            commands::settings::secret_delete,
            commands::settings::storage_usage,
            commands::settings::storage_cleanup,
            commands::docker::endpoint_list,
            commands::docker::endpoint_add,
            commands::docker::endpoint_test,
            commands::docker::endpoint_remove,
            commands::access::audit_list,
            commands::clusters::cluster_list,
            commands::clusters::cluster_contexts,
            commands::clusters::cluster_add,
            commands::clusters::cluster_test,
            commands::clusters::cluster_remove,
            commands::docker::registry_list,
            commands::docker::registry_add,
            commands::docker::registry_test,
            commands::docker::registry_remove,
            commands::apps::app_list,
            commands::apps::app_get,
            commands::apps::app_rollback,
            commands::apps::app_redeploy,
            commands::apps::app_action,
            commands::apps::app_logs,
            commands::apps_helm::app_recover,
            commands::apps::app_diff,
            commands::tray::tray_menu_model,
            commands::tray::tray_menu_click,
            commands::tray::tray_set_language,
            commands::repos::repo_list,
            commands::repos::repo_save,
            commands::repos::repo_delete,
            commands::repos::repo_test,
            commands::triggers::trigger_overview,
            commands::triggers::cron_preview,
            commands::triggers::webhook_secret_generate,
            commands::triggers::webhook_secret_reveal,
            commands::triggers::server_status,
            commands::templates::template_validate,
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
