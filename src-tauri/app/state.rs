//! What the app manages: the engine, built whole in `setup()`, and the live log followers.

use std::collections::HashMap;
use std::sync::Mutex;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::ServerStatus;
use simple_cicd_engine::Engine;
use tauri::async_runtime::JoinHandle;

/// The managed state.
pub struct AppState {
    /// The engine.
    pub engine: Engine,
    /// Who the window's calls come from: its OS user, who owns the data directory.
    pub caller: Caller,
    /// The webhook server, started in `setup()` (or why not).
    pub server: ServerStatus,
    /// Follow tasks per run, so a viewer that leaves can stop them.
    pub follows: Mutex<HashMap<i64, Vec<JoinHandle<()>>>>,
}

impl AppState {
    /// Wraps an opened engine.
    pub fn new(engine: Engine, server: ServerStatus) -> AppState {
        AppState { engine, caller: Caller::desktop(), server, follows: Mutex::new(HashMap::new()) }
    }
}
