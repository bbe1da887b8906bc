//! Registry entry points: list, add, test (a real login), remove. Passwords and tokens go to the
//! keyring and never come back out through here.

use super::audit::audited;
use super::endpoints::check_name;
use crate::auth::Caller;
use crate::docker;
use crate::error::{Error, Result};
use crate::model::Scope;
use crate::model::{now_ms, rfc3339, FieldError, NewRegistry, Registry, RegistryCheck};
use crate::secrets;
use crate::Engine;

/// Every registry, by name.
pub async fn registry_list(engine: &Engine) -> Result<Vec<Registry>> {
    engine.store().registry_all().await
}

/// One registry.
pub async fn registry_get(engine: &Engine, name: &str) -> Result<Registry> {
    engine.store().registry_get(name).await?.ok_or_else(|| Error::RegistryUnknown { name: name.to_string() })
}

/// Adds a registry; its password (or token) goes to the keyring.
pub async fn registry_add(engine: &Engine, caller: &Caller, new: NewRegistry) -> Result<Registry> {
    let resource = format!("registry {}", new.name.trim());
    audited(engine, caller, Scope::Write, "registry.add", &resource, None, add(engine, new)).await
}

async fn add(engine: &Engine, new: NewRegistry) -> Result<Registry> {
    let name = new.name.trim().to_string();
    let mut errors: Vec<FieldError> = check_name("registry", &name).into_iter().collect();
    let host = docker::host_of(&new.url).map_err(|m| errors.push(FieldError::new("url", "invalid", m))).ok();
    let username = new.username.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    let password = new.password.filter(|p| !p.is_empty());
    if password.is_some() && username.is_none() {
        errors.push(FieldError::new("username", "required", "a password or token needs the user name it belongs to"));
    }
    if engine.store().registry_get(&name).await?.is_some() {
        errors.push(FieldError::new("name", "duplicate", format!("a registry named {name} already exists")));
    }
    let Some(host) = host.filter(|_| errors.is_empty()) else { return Err(Error::Invalid(errors)) };
    if let Some(p) = &password {
        secrets::reserved_set(engine, &docker::password_secret(&name), p).await?;
    }
    let registry = Registry {
        name: name.clone(),
        url: new.url.trim().to_string(),
        host,
        username,
        has_password: password.is_some(),
        created_at: String::new(),
    };
    let now = now_ms();
    if !engine.store().registry_insert(&registry, now).await? {
        return Err(Error::invalid("name", "duplicate", format!("a registry named {name} already exists")));
    }
    Ok(Registry { created_at: rfc3339(now), ..registry })
}

/// Logs in to the registry with its stored credentials and says whether that worked.
pub async fn registry_test(engine: &Engine, name: &str) -> Result<RegistryCheck> {
    let registry = registry_get(engine, name).await?;
    let password =
        if registry.has_password { secrets::reserved_get(engine, &docker::password_secret(name)).await? } else { None };
    if registry.has_password && password.is_none() {
        return Err(Error::Docker(docker::DockerError::Registry {
            message: format!(
                "the password of registry {name} is no longer in the secret store; remove the registry and add it again"
            ),
        }));
    }
    let host = docker::api_host(&registry.host);
    let status = docker::login(name, host, registry.username.as_deref(), password.as_deref()).await?;
    Ok(RegistryCheck { registry: name.to_string(), host: registry.host, status })
}

/// Removes a registry and its password.
pub async fn registry_remove(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let resource = format!("registry {name}");
    audited(engine, caller, Scope::Write, "registry.remove", &resource, None, remove(engine, name)).await
}

async fn remove(engine: &Engine, name: &str) -> Result<()> {
    let registry = registry_get(engine, name).await?;
    engine.store().registry_delete(name).await?;
    if registry.has_password {
        if let Err(e) = secrets::reserved_delete(engine, &docker::password_secret(name)).await {
            tracing::warn!(registry = name, error = %e, "cannot remove the password of a removed registry from the keyring");
        }
    }
    Ok(())
}
