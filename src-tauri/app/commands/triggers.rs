//! Trigger commands: webhook URLs and secrets, cron previews, deliveries, and the server status.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{Provider, ServerStatus, TriggerOverview};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// A template's webhooks, cron next times, polls and last deliveries.
#[tauri::command]
pub async fn trigger_overview(state: State<'_, AppState>, template: String) -> CmdResult<TriggerOverview> {
    Ok(api::trigger_overview(&state.engine, &template, 20).await?)
}

/// The next fire times of a cron expression, for the editor.
#[tauri::command]
pub fn cron_preview(expression: String, count: Option<u32>) -> CmdResult<Vec<String>> {
    Ok(api::cron_preview(&expression, count.unwrap_or(5) as usize)?)
}

/// Generates and stores a new webhook secret; returns it once, for the forge's settings.
#[tauri::command]
pub async fn webhook_secret_generate(
    state: State<'_, AppState>,
    template: String,
    provider: Provider,
) -> CmdResult<String> {
    Ok(api::webhook_secret_generate(&state.engine, &state.caller, &template, provider).await?)
}

/// The webhook secret's value, for the copy button.
#[tauri::command]
pub async fn webhook_secret_reveal(
    state: State<'_, AppState>,
    template: String,
    provider: Provider,
) -> CmdResult<String> {
    Ok(api::webhook_secret_reveal(&state.engine, &state.caller, &template, provider).await?)
}

/// Whether the webhook server listens, and where (or why not).
#[tauri::command]
pub fn server_status(state: State<'_, AppState>) -> ServerStatus {
    state.server.clone()
}
