//! Settings, secrets and storage commands.

use simple_cicd_engine::retention::{self, CleanupReport, StorageUsage};
use simple_cicd_engine::secrets::{self, SecretInfo};
use simple_cicd_engine::settings::{self, Setting};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Every setting with its value.
#[tauri::command]
pub async fn config_list(state: State<'_, AppState>) -> CmdResult<Vec<Setting>> {
    Ok(settings::config_list(&state.engine).await?)
}

/// Changes a setting (value in its text form).
#[tauri::command]
pub async fn config_set(state: State<'_, AppState>, key: String, value: String) -> CmdResult<Setting> {
    Ok(settings::config_set(&state.engine, &key, &value).await?)
}

/// The stored secrets' names and dates.
#[tauri::command]
pub async fn secret_list(state: State<'_, AppState>) -> CmdResult<Vec<SecretInfo>> {
    Ok(secrets::secret_list(&state.engine).await?)
}

/// Stores a secret. The value goes to the keyring and is never sent back.
#[tauri::command]
pub async fn secret_set(state: State<'_, AppState>, name: String, value: String) -> CmdResult<SecretInfo> {
    Ok(secrets::secret_set(&state.engine, &name, &value).await?)
}

/// Removes a secret.
#[tauri::command]
pub async fn secret_delete(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(secrets::secret_delete(&state.engine, &name).await?)
}

/// Disk used by logs, workspaces and the database.
#[tauri::command]
pub async fn storage_usage(state: State<'_, AppState>) -> CmdResult<StorageUsage> {
    Ok(retention::storage_usage(&state.engine).await?)
}

/// Applies the retention settings now.
#[tauri::command]
pub async fn storage_cleanup(state: State<'_, AppState>) -> CmdResult<CleanupReport> {
    Ok(retention::storage_cleanup(&state.engine, None).await?)
}
