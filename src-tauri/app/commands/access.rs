//! The audit log as the desktop window reads it (the window acts as its OS user, who owns the
//! data directory).

use simple_cicd_engine::api;
use simple_cicd_engine::model::{AuditEntry, AuditFilter};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Audit entries matching `filter`, newest first.
#[tauri::command]
pub async fn audit_list(state: State<'_, AppState>, filter: AuditFilter) -> CmdResult<Vec<AuditEntry>> {
    Ok(api::audit_list(&state.engine, &state.caller, &filter).await?)
}
