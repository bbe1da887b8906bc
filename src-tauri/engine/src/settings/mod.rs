//! Settings: a fixed registry of typed keys with defaults, stored as JSON values in SQLite.
//! The UI's Settings page and `scicd config get|set|list` both go through here, so validation
//! and messages are the same everywhere. Unknown keys are refused, never stored.

mod registry;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::audited;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::Scope;
use crate::Engine;

pub use registry::{SettingKind, SettingSpec, REGISTRY, SMTP_PASSWORD_SECRET};

/// A setting with its current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
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
    /// What kind of value it takes, for the form that edits it.
    pub input: SettingInput,
}

/// What kind of value a setting takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
#[ts(export)]
pub enum SettingInput {
    /// A whole number in a range.
    Int {
        /// Smallest allowed.
        #[ts(type = "number")]
        min: i64,
        /// Largest allowed.
        #[ts(type = "number")]
        max: i64,
    },
    /// One of these words.
    Choice(Vec<String>),
    /// Any text.
    Text,
    /// On or off.
    Bool,
    /// An e-mail address, optionally with a name.
    Mailbox,
    /// A password: written, never read back (`value` is always null; `isSet` tells).
    Secret,
}

impl From<SettingKind> for SettingInput {
    fn from(kind: SettingKind) -> Self {
        match kind {
            SettingKind::Int { min, max } => SettingInput::Int { min, max },
            SettingKind::Choice(words) => SettingInput::Choice(words.iter().map(|w| w.to_string()).collect()),
            SettingKind::Text => SettingInput::Text,
            SettingKind::Bool => SettingInput::Bool,
            SettingKind::Mailbox => SettingInput::Mailbox,
            SettingKind::Secret(_) => SettingInput::Secret,
            SettingKind::Listen => SettingInput::Text,
        }
    }
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
    let value = match spec.kind {
        // The settings table only records where a secret went; its value is never sent back.
        SettingKind::Secret(_) => serde_json::Value::Null,
        _ => stored.clone().unwrap_or_else(|| default.clone()),
    };
    Ok(Setting {
        key: spec.key.to_string(),
        is_set: stored.is_some(),
        value,
        default,
        description: spec.description.to_string(),
        input: spec.kind.into(),
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
pub async fn config_set(engine: &Engine, caller: &Caller, key: &str, text: &str) -> Result<Setting> {
    let resource = format!("setting {key}");
    audited(engine, caller, Scope::Admin, "config.set", &resource, None, set(engine, key, text)).await
}

pub(crate) async fn set(engine: &Engine, key: &str, text: &str) -> Result<Setting> {
    let spec = spec(key)?;
    let value = spec.kind.parse(key, text)?;
    if let SettingKind::Secret(name) = spec.kind {
        let backend = crate::secrets::reserved_set(engine, name, text).await?;
        engine.store().setting_put(key, &serde_json::json!({ "storedIn": backend })).await?;
    } else {
        engine.store().setting_put(key, &value).await?;
    }
    build(engine, spec).await
}

/// Removes a setting, so its default applies again.
pub async fn config_unset(engine: &Engine, caller: &Caller, key: &str) -> Result<Setting> {
    let resource = format!("setting {key}");
    audited(engine, caller, Scope::Admin, "config.unset", &resource, None, unset(engine, key)).await
}

async fn unset(engine: &Engine, key: &str) -> Result<Setting> {
    let spec = spec(key)?;
    if let SettingKind::Secret(name) = spec.kind {
        crate::secrets::reserved_delete(engine, name).await?;
    }
    engine.store().setting_delete(key).await?;
    build(engine, spec).await
}

/// The value of a `Secret` setting, from the secret store; `None` when it is not set.
pub(crate) async fn secret(engine: &Engine, key: &str) -> Result<Option<String>> {
    let spec = spec(key)?;
    let SettingKind::Secret(name) = spec.kind else {
        return Err(Error::Corrupt(format!("setting {key} is not a secret")));
    };
    if engine.store().setting_get(key).await?.is_none() {
        return Ok(None);
    }
    crate::secrets::reserved_get(engine, name).await
}

/// A boolean setting's value (its default when unset or damaged).
pub async fn flag(engine: &Engine, key: &str) -> bool {
    let Ok(spec) = spec(key) else { return false };
    let default = (spec.default)().as_bool().unwrap_or(false);
    match engine.store().setting_get(key).await {
        Ok(Some(v)) => v.as_bool().unwrap_or(default),
        _ => default,
    }
}

/// An integer setting's value (its default when unset or damaged).
pub async fn int(engine: &Engine, key: &str) -> i64 {
    let Ok(spec) = spec(key) else { return 0 };
    let default = (spec.default)().as_i64().unwrap_or(0);
    match engine.store().setting_get(key).await {
        Ok(Some(v)) => v.as_i64().unwrap_or(default),
        _ => default,
    }
}

/// A text setting's value (its default when unset).
pub async fn text(engine: &Engine, key: &str) -> String {
    let Ok(spec) = spec(key) else { return String::new() };
    let default = (spec.default)().as_str().unwrap_or("").to_string();
    match engine.store().setting_get(key).await {
        Ok(Some(serde_json::Value::String(s))) => s,
        _ => default,
    }
}
