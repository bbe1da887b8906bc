//! Tauri commands: each takes state, calls `simple_cicd_engine::api`, maps the error.

pub mod access;
pub mod app;
pub mod apps;
pub mod apps_helm;
pub mod clusters;
pub mod docker;
pub mod repos;
pub mod runs;
pub mod settings;
pub mod templates;
pub mod tray;
pub mod triggers;
