//! Kubernetes cluster commands.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{Cluster, ClusterInfo, KubeContexts, NewCluster};
use tauri::State;

use crate::error::CmdResult;
use crate::state::AppState;

/// The clusters.
#[tauri::command]
pub async fn cluster_list(state: State<'_, AppState>) -> CmdResult<Vec<Cluster>> {
    Ok(api::cluster_list(&state.engine).await?)
}

/// The contexts of the user's kubeconfig, to add one of them.
#[tauri::command]
pub async fn cluster_contexts(state: State<'_, AppState>) -> CmdResult<KubeContexts> {
    Ok(api::cluster_contexts(&state.engine, &state.caller).await?)
}

/// Adds a cluster; a given kubeconfig goes to the keyring.
#[tauri::command]
pub async fn cluster_add(state: State<'_, AppState>, cluster: NewCluster) -> CmdResult<Cluster> {
    Ok(api::cluster_add(&state.engine, &state.caller, cluster).await?)
}

/// Asks the cluster for its version and nodes, or says exactly why it cannot.
#[tauri::command]
pub async fn cluster_test(state: State<'_, AppState>, name: String) -> CmdResult<ClusterInfo> {
    Ok(api::cluster_test(&state.engine, &name).await?)
}

/// Removes a cluster and its kept kubeconfig.
#[tauri::command]
pub async fn cluster_remove(state: State<'_, AppState>, name: String) -> CmdResult<()> {
    Ok(api::cluster_remove(&state.engine, &state.caller, &name).await?)
}
