//! Helm app commands: getting a release out of `pending-*`.

use simple_cicd_engine::api;
use simple_cicd_engine::model::Run;
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Recovers a release stuck in `pending-*`: the rollback run it started, or `null` when a first
/// install that never completed was uninstalled.
#[tauri::command]
pub async fn app_recover(state: State<'_, AppState>, name: String) -> CmdResult<Option<Run>> {
    Ok(api::app_recover(&state.engine, &state.caller, &name).await?)
}
