//! Settings: a fixed registry of typed keys with defaults, stored as JSON values in SQLite.
//! The UI's Settings page and `scicd config get|set|list` both go through here, so validation
//! and messages are the same everywhere. Unknown keys are refused, never stored.

mod registry;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::Engine;

pub use registry::{SettingKind, SettingSpec, REGISTRY};

/// A setting with its current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Setting {
    /// `runs.maxParallel`, ...
    pub key: String,
    /// The value in effect.
    pub value: serde_json::Value,
    /// The value when nothing is set.
    pub default: serde_json::Value,
    /// Whether the value was set (false: the default is in effect).
    pub is_set: bool,
    /// What it does.
    pub description: String,
}

fn spec(key: &str) -> Result<&'static SettingSpec> {
    REGISTRY.iter().find(|s| s.key == key).ok_or_else(|| {
        let known: Vec<&str> = REGISTRY.iter().map(|s| s.key).collect();
        Error::invalid("key", "unknown", format!("unknown setting {key}; known settings: {}", known.join(", ")))
    })
}

async fn build(engine: &Engine, spec: &SettingSpec) -> Result<Setting> {
    let stored = engine.store().setting_get(spec.key).await?;
    let default = (spec.default)();
    Ok(Setting {
        key: spec.key.to_string(),
        is_set: stored.is_some(),
        value: stored.unwrap_or_else(|| default.clone()),
        default,
        description: spec.description.to_string(),
    })
}

/// Every setting with its value.
pub async fn config_list(engine: &Engine) -> Result<Vec<Setting>> {
    let mut out = Vec::new();
    for s in REGISTRY {
        out.push(build(engine, s).await?);
    }
    Ok(out)
}

/// One setting.
pub async fn config_get(engine: &Engine, key: &str) -> Result<Setting> {
    build(engine, spec(key)?).await
}

/// Sets a setting from its text form (`4`, `true`, `tls`); checks type and range first.
pub async fn config_set(engine: &Engine, key: &str, text: &str) -> Result<Setting> {
    let spec = spec(key)?;
    let value = spec.kind.parse(key, text)?;
    engine.store().setting_put(key, &value).await?;
    build(engine, spec).await
}

/// Removes a setting, so its default applies again.
pub async fn config_unset(engine: &Engine, key: &str) -> Result<Setting> {
    let spec = spec(key)?;
    engine.store().setting_delete(key).await?;
    build(engine, spec).await
}

/// An integer setting's value (its default when unset or damaged).
pub(crate) async fn int(engine: &Engine, key: &str) -> i64 {
    let Ok(spec) = spec(key) else { return 0 };
    let default = (spec.default)().as_i64().unwrap_or(0);
    match engine.store().setting_get(key).await {
        Ok(Some(v)) => v.as_i64().unwrap_or(default),
        _ => default,
    }
}

/// A text setting's value (its default when unset).
pub(crate) async fn text(engine: &Engine, key: &str) -> String {
    let Ok(spec) = spec(key) else { return String::new() };
    let default = (spec.default)().as_str().unwrap_or("").to_string();
    match engine.store().setting_get(key).await {
        Ok(Some(serde_json::Value::String(s))) => s,
        _ => default,
    }
}

/// A boolean setting's value (its default when unset or damaged).
pub(crate) async fn flag(engine: &Engine, key: &str) -> bool {
    let Ok(spec) = spec(key) else { return false };
    let default = (spec.default)().as_bool().unwrap_or(false);
    match engine.store().setting_get(key).await {
        Ok(Some(v)) => v.as_bool().unwrap_or(default),
        _ => default,
    }
}
