//! Docker endpoint and registry commands.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{Endpoint, EndpointInfo, NewEndpoint, NewRegistry, Registry, RegistryCheck};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The endpoints (the local socket first, when a daemon answers there).
#[tauri::command]
pub async fn endpoint_list(state: State<'_, AppState>) -> CmdResult<Vec<Endpoint>> {
    Ok(api::endpoint_list(&state.engine).await?)
}

/// Adds an endpoint; certificates and keys go to the keyring.
#[tauri::command]
pub async fn endpoint_add(state: State<'_, AppState>, endpoint: NewEndpoint) -> CmdResult<Endpoint> {
    Ok(api::endpoint_add(&state.engine, &state.caller, endpoint).await?)
}

/// Connects and describes the daemon, or says exactly why it cannot.
#[tauri::command]
pub async fn endpoint_test(state: State<'_, AppState>, name: String) -> CmdResult<EndpointInfo> {
    Ok(api::endpoint_test(&state.engine, &name).await?)
}

/// Removes an endpoint and its keys.
#[tauri::command]
pub async fn endpoint_remove(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(api::endpoint_remove(&state.engine, &state.caller, &name).await?)
}

/// The registries (never their passwords).
#[tauri::command]
pub async fn registry_list(state: State<'_, AppState>) -> CmdResult<Vec<Registry>> {
    Ok(api::registry_list(&state.engine).await?)
}

/// Adds a registry; the password goes to the keyring.
#[tauri::command]
pub async fn registry_add(state: State<'_, AppState>, registry: NewRegistry) -> CmdResult<Registry> {
    Ok(api::registry_add(&state.engine, &state.caller, registry).await?)
}

/// Logs in with the stored credentials.
#[tauri::command]
pub async fn registry_test(state: State<'_, AppState>, name: String) -> CmdResult<RegistryCheck> {
    Ok(api::registry_test(&state.engine, &name).await?)
}

/// Removes a registry and its password.
#[tauri::command]
pub async fn registry_remove(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(api::registry_remove(&state.engine, &state.caller, &name).await?)
}
