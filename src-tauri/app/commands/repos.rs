//! Repository commands.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{RepoRefs, Repository, RepositoryInput};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// Every repository.
#[tauri::command]
pub async fn repo_list(state: State<'_, AppState>) -> CmdResult<Vec<Repository>> {
    Ok(api::repo_list(&state.engine).await?)
}

/// Adds a repository, or changes the one with that name when `replace` is set.
#[tauri::command]
pub async fn repo_save(state: State<'_, AppState>, input: RepositoryInput, replace: bool) -> CmdResult<Repository> {
    Ok(api::repo_save(&state.engine, &state.caller, input, replace).await?)
}

/// Removes a repository with its credentials and cache.
#[tauri::command]
pub async fn repo_delete(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(api::repo_delete(&state.engine, &state.caller, &name).await?)
}

/// The remote's branches and tags, or why they cannot be listed.
#[tauri::command]
pub async fn repo_test(state: State<'_, AppState>, name: String) -> CmdResult<RepoRefs> {
    Ok(api::repo_test(&state.engine, &name).await?)
}
