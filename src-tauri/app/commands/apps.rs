//! App commands: the deployed stacks, their revisions and live services, and their actions.

use simple_cicd_engine::api::{self, AppAction, AppDetail};
use simple_cicd_engine::model::{App, AppDiff, Run};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Every app with its newest revision.
#[tauri::command]
pub async fn app_list(state: State<'_, AppState>) -> CmdResult<Vec<App>> {
    Ok(api::app_list(&state.engine).await?)
}

/// An app (`NAME` or `NAME@ENDPOINT`), its revisions and its services as they run now.
#[tauri::command]
pub async fn app_get(state: State<'_, AppState>, name: String) -> CmdResult<AppDetail> {
    Ok(api::app_get(&state.engine, &name).await?)
}

/// Launches revision `to` again, images pinned by digest; returns the new run at once.
#[tauri::command]
pub async fn app_rollback(state: State<'_, AppState>, name: String, to: u32) -> CmdResult<Run> {
    Ok(api::app_rollback(&state.engine, &state.caller, &name, to).await?)
}

/// Launches the current revision again, images pulled anew; returns the new run at once.
#[tauri::command]
pub async fn app_redeploy(state: State<'_, AppState>, name: String) -> CmdResult<Run> {
    Ok(api::app_redeploy(&state.engine, &state.caller, &name).await?)
}

/// Stops, starts, restarts or takes down the app's stack; returns what compose said.
#[tauri::command]
pub async fn app_action(state: State<'_, AppState>, name: String, action: AppAction) -> CmdResult<String> {
    Ok(api::app_action(&state.engine, &state.caller, &name, action).await?)
}

/// What differs from revision `from` to revision `to`: images by digest, the configuration as a diff.
#[tauri::command]
pub async fn app_diff(state: State<'_, AppState>, name: String, from: u32, to: u32) -> CmdResult<AppDiff> {
    Ok(api::app_diff(&state.engine, &name, from, to).await?)
}

/// The last `tail` lines of one service's log.
#[tauri::command]
pub async fn app_logs(state: State<'_, AppState>, name: String, service: String, tail: u32) -> CmdResult<String> {
    Ok(api::app_logs(&state.engine, &name, &service, tail).await?)
}
