//! Settings, secrets and storage commands.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{ApiError, ErrorCode, SmtpAnswer};
use simple_cicd_engine::retention::{self, CleanupReport, StorageUsage};
use simple_cicd_engine::secrets::{self, SecretInfo};
use simple_cicd_engine::settings::{self, Setting};
use tauri::{AppHandle, Manager, State};

use crate::error::CmdResult;
use crate::state::AppState;
use crate::tray::Tray;

/// Every setting with its value.
#[tauri::command]
pub async fn config_list(state: State<'_, AppState>) -> CmdResult<Vec<Setting>> {
    Ok(settings::config_list(&state.engine).await?)
}

/// Changes a setting (value in its text form; a password goes to the keyring) and applies what
/// the app itself does with it (start at login, the tray's switches).
#[tauri::command]
pub async fn config_set(app: AppHandle, state: State<'_, AppState>, key: String, value: String) -> CmdResult<Setting> {
    let setting = settings::config_set(&state.engine, &state.caller, &key, &value).await?;
    applied(&app, &key).await?;
    Ok(setting)
}

/// Goes back to a setting's default (for a password: removes it from the keyring).
#[tauri::command]
pub async fn config_unset(app: AppHandle, state: State<'_, AppState>, key: String) -> CmdResult<Setting> {
    let setting = settings::config_unset(&state.engine, &state.caller, &key).await?;
    applied(&app, &key).await?;
    Ok(setting)
}

async fn applied(app: &AppHandle, key: &str) -> CmdResult<()> {
    if let Some(tray) = app.try_state::<Tray>() {
        tray.wake();
    }
    if key == "app.startAtLogin" {
        crate::autostart::apply(app).await.map_err(|message| ApiError::new(ErrorCode::Autostart, message))?;
    }
    Ok(())
}

/// Sends a test e-mail with the SMTP settings; the answer is the server's own words.
#[tauri::command]
pub async fn smtp_test(state: State<'_, AppState>, to: String) -> CmdResult<SmtpAnswer> {
    Ok(api::smtp_test(&state.engine, &state.caller, &to).await?)
}

/// The stored secrets' names and dates.
#[tauri::command]
pub async fn secret_list(state: State<'_, AppState>) -> CmdResult<Vec<SecretInfo>> {
    Ok(secrets::secret_list(&state.engine).await?)
}

/// Stores a secret. The value goes to the keyring and is never sent back.
#[tauri::command]
pub async fn secret_set(state: State<'_, AppState>, name: String, value: String) -> CmdResult<SecretInfo> {
    Ok(secrets::secret_set(&state.engine, &state.caller, &name, &value).await?)
}

/// Removes a secret.
#[tauri::command]
pub async fn secret_delete(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(secrets::secret_delete(&state.engine, &state.caller, &name).await?)
}

/// Disk used by logs, workspaces and the database.
#[tauri::command]
pub async fn storage_usage(state: State<'_, AppState>) -> CmdResult<StorageUsage> {
    Ok(retention::storage_usage(&state.engine).await?)
}

/// Applies the retention settings now.
#[tauri::command]
pub async fn storage_cleanup(state: State<'_, AppState>) -> CmdResult<CleanupReport> {
    Ok(retention::storage_cleanup(&state.engine, &state.caller, None).await?)
}
