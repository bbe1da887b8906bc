//! Secrets: named values kept in the OS keyring (Secret Service, Keychain, Credential Manager), or
//! on headless machines in a file encrypted with a key from `$SIMPLE_CICD_SECRETS_KEY`. SQLite
//! holds only their names and when they changed; values never enter the database, exports,
//! events, API answers or logs (logs are masked, see `log::mask`).

mod file_store;
mod keyring_store;

use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::audited;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::Scope;
use crate::model::{now_ms, rfc3339};
use crate::{settings, Engine};

pub use file_store::{FileStore, SECRETS_KEY_ENV};
pub use keyring_store::KeyringStore;

/// Where secret values live. Implementations block (D-Bus, disk): call them off the async threads.
pub trait SecretStore: Send + Sync + 'static {
    /// Stores or replaces a value.
    fn set(&self, name: &str, value: &str) -> Result<()>;
    /// The value, or `None` when there is none.
    fn get(&self, name: &str) -> Result<Option<String>>;
    /// Removes a value; removing a missing one is not an error.
    fn delete(&self, name: &str) -> Result<()>;
    /// `keyring` or `file`.
    fn backend(&self) -> &'static str;
}

/// A stored secret as the UI and the CLI see it: never its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SecretInfo {
    /// The name templates refer to.
    pub name: String,
    /// `keyring` or `file`.
    pub backend: String,
    /// RFC 3339.
    pub updated_at: String,
}

/// Names starting with this are simple-cicd's own (the SMTP password); templates and users
/// cannot use them.
pub const RESERVED_PREFIX: &str = "simple-cicd.";

/// Checks a secret name: 1-128 letters, digits, `_`, `-`, `.`, not starting with [`RESERVED_PREFIX`].
pub fn check_name(name: &str) -> Result<()> {
    if name.starts_with(RESERVED_PREFIX) {
        return Err(Error::invalid(
            "name",
            "reserved",
            format!("secret names starting with `{RESERVED_PREFIX}` are simple-cicd's own; choose another name"),
        ));
    }
    let ok = !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid("name", "invalid", "a secret name holds 1 to 128 letters, digits, '_', '-' or '.'"))
    }
}

/// The store chosen by the `secrets.backend` setting.
pub(crate) async fn store(engine: &Engine) -> Result<Arc<dyn SecretStore>> {
    let namespace = engine.store().secret_namespace().await?;
    match settings::text(engine, "secrets.backend").await.as_str() {
        "file" => Ok(Arc::new(FileStore::from_env(engine.data_dir().join("secrets.enc"))?)),
        _ => Ok(Arc::new(KeyringStore::new(namespace))),
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Corrupt(format!("secret store task failed: {e}")))?
}

/// The active secret store in words, for messages: `encrypted file` or `OS keyring`.
pub async fn backend_name(engine: &Engine) -> &'static str {
    match settings::text(engine, "secrets.backend").await.as_str() {
        "file" => "encrypted file",
        _ => "OS keyring",
    }
}

/// Stores a secret's value.
pub async fn secret_set(engine: &Engine, caller: &Caller, name: &str, value: &str) -> Result<SecretInfo> {
    let resource = format!("secret {name}");
    audited(engine, caller, Scope::Write, "secret.set", &resource, None, set(engine, name, value)).await
}

pub(crate) async fn set(engine: &Engine, name: &str, value: &str) -> Result<SecretInfo> {
    check_name(name)?;
    if value.is_empty() {
        return Err(Error::invalid("value", "required", "the secret's value is empty"));
    }
    let store = store(engine).await?;
    let backend = store.backend();
    let (n, v) = (name.to_string(), value.to_string());
    blocking(move || store.set(&n, &v)).await?;
    let now = now_ms();
    engine.store().secret_touch(name, backend, now).await?;
    Ok(SecretInfo { name: name.to_string(), backend: backend.to_string(), updated_at: rfc3339(now) })
}

/// Every stored secret's name and date.
pub async fn secret_list(engine: &Engine) -> Result<Vec<SecretInfo>> {
    engine.store().secret_all().await
}

/// Removes a secret.
pub async fn secret_delete(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let resource = format!("secret {name}");
    audited(engine, caller, Scope::Write, "secret.delete", &resource, None, delete(engine, name)).await
}

async fn delete(engine: &Engine, name: &str) -> Result<()> {
    check_name(name)?;
    let known = engine.store().secret_all().await?.into_iter().any(|s| s.name == name);
    if !known {
        return Err(Error::NotFound { what: "secret", name: name.to_string() });
    }
    let store = store(engine).await?;
    let n = name.to_string();
    blocking(move || store.delete(&n)).await?;
    engine.store().secret_forget(name).await
}

/// The value of a secret, for a run that refers to it.
pub(crate) async fn secret_value(engine: &Engine, name: &str) -> Result<String> {
    let store = store(engine).await?;
    let n = name.to_string();
    match blocking(move || store.get(&n)).await? {
        Some(v) => Ok(v),
        None => Err(Error::SecretMissing { name: name.to_string() }),
    }
}

/// Stores one of simple-cicd's own secrets (not listed among the user's); returns the backend.
pub(crate) async fn reserved_set(engine: &Engine, name: &str, value: &str) -> Result<&'static str> {
    let store = store(engine).await?;
    let backend = store.backend();
    let (n, v) = (name.to_string(), value.to_string());
    blocking(move || store.set(&n, &v)).await?;
    Ok(backend)
}

/// One of simple-cicd's own secrets.
pub(crate) async fn reserved_get(engine: &Engine, name: &str) -> Result<Option<String>> {
    let store = store(engine).await?;
    let n = name.to_string();
    blocking(move || store.get(&n)).await
}

/// Removes one of simple-cicd's own secrets.
pub(crate) async fn reserved_delete(engine: &Engine, name: &str) -> Result<()> {
    let store = store(engine).await?;
    let n = name.to_string();
    blocking(move || store.delete(&n)).await
}
