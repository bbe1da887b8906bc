//! What the app manages: the engine, built whole in `setup()`, and the live log followers.

use std::collections::HashMap;
use std::sync::Mutex;

use simple_cicd_engine::Engine;
use tauri::async_runtime::JoinHandle;

/// The webhook server as the UI's health indicator shows it.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerStatus {
    /// Whether it listens.
    pub listening: bool,
    /// Where (`127.0.0.1:8750`), when it listens.
    pub address: Option<String>,
    /// Why it does not: switched off (setting server.enabled) or the address is taken.
    pub error: Option<String>,
}

/// The managed state.
pub struct AppState {
    /// The engine.
    pub engine: Engine,
    /// The webhook server, started in `setup()` (or why not).
    pub server: ServerStatus,
    /// Follow tasks per run, so a viewer that leaves can stop them.
    pub follows: Mutex<HashMap<i64, Vec<JoinHandle<()>>>>,
}

impl AppState {
    /// Wraps an opened engine.
    pub fn new(engine: Engine, server: ServerStatus) -> AppState {
        AppState { engine, server, follows: Mutex::new(HashMap::new()) }
    }
}
