//! Docker endpoint entry points: list, add, test, remove. The local socket is built in: listed
//! when a daemon answers there, never stored, never removed.

use super::audit::audited;
use crate::auth::Caller;
use crate::docker::{self, TlsBundle};
use crate::error::{Error, Result};
use crate::model::Scope;
use crate::model::{now_ms, Endpoint, EndpointInfo, EndpointKind, FieldError, NewEndpoint, LOCAL_ENDPOINT};
use crate::secrets;
use crate::Engine;

/// Checks the name of an endpoint or registry: 1-64 letters, digits, `-`, `_`, `.`, starting with
/// a letter or digit.
pub(crate) fn check_name(what: &str, name: &str) -> Option<FieldError> {
    (!crate::template::docker::name_ok(name)).then(|| {
        FieldError::new(
            "name",
            if name.is_empty() { "required" } else { "invalid" },
            format!("a {what} name holds 1 to 64 letters, digits, '-', '_' and '.', and starts with a letter or digit"),
        )
    })
}

/// Whether a daemon answers (or refuses this user) on the local socket.
async fn local_socket_answers() -> bool {
    let path = docker::LOCAL_SOCKET_URL.trim_start_matches("unix://");
    match tokio::time::timeout(std::time::Duration::from_secs(2), tokio::net::UnixStream::connect(path)).await {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => e.kind() == std::io::ErrorKind::PermissionDenied,
        Err(_) => false,
    }
}

/// The local socket (when a daemon answers there), then the stored endpoints by name.
pub async fn endpoint_list(engine: &Engine) -> Result<Vec<Endpoint>> {
    let mut list = Vec::new();
    if local_socket_answers().await {
        list.push(docker::local());
    }
    list.extend(engine.store().endpoint_all().await?);
    Ok(list)
}

fn pem(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| format!("{t}\n"))
}

/// Adds an endpoint. TLS material (all of CA, certificate and key, for `tcp://`) and an SSH key
/// (for `ssh://`) are checked, then kept in the keyring.
pub async fn endpoint_add(engine: &Engine, caller: &Caller, new: NewEndpoint) -> Result<Endpoint> {
    let resource = format!("endpoint {}", new.name.trim());
    audited(engine, caller, Scope::Write, "endpoint.add", &resource, None, add(engine, new)).await
}

async fn add(engine: &Engine, new: NewEndpoint) -> Result<Endpoint> {
    let name = new.name.trim().to_string();
    let mut errors: Vec<FieldError> = check_name("endpoint", &name).into_iter().collect();
    if name == LOCAL_ENDPOINT {
        errors.push(FieldError::new("name", "reserved", "`local` is the built-in local socket; choose another name"));
    }
    let (ca, cert, key) = (pem(&new.tls_ca), pem(&new.tls_cert), pem(&new.tls_key));
    let ssh_key = pem(&new.ssh_key);
    let tls = ca.is_some() || cert.is_some() || key.is_some();
    let parsed = docker::parse_url(&new.url, tls);
    let (url, kind) = match parsed {
        Ok(p) => p,
        Err(message) => {
            errors.push(FieldError::new("url", "invalid", message));
            return Err(Error::Invalid(errors));
        }
    };
    let mut bundle = None;
    if tls {
        if kind != EndpointKind::Tls {
            errors.push(FieldError::new("tlsCa", "invalid", "TLS certificates are for tcp:// endpoints only"));
        }
        match (ca, cert, key) {
            (Some(ca), Some(cert), Some(key)) => {
                let b = TlsBundle { ca, cert, key };
                match docker::client_config(&b) {
                    Ok(_) => bundle = Some(b),
                    Err(message) => errors.push(FieldError::new("tlsCert", "invalid", message)),
                }
            }
            (ca, cert, _) => {
                let missing = if ca.is_none() {
                    "tlsCa"
                } else if cert.is_none() {
                    "tlsCert"
                } else {
                    "tlsKey"
                };
                errors.push(FieldError::new(
                    missing,
                    "required",
                    "a TLS endpoint needs all three: the CA certificate, the client certificate and the client key",
                ));
            }
        }
    }
    if let Some(k) = &ssh_key {
        if kind != EndpointKind::Ssh {
            errors.push(FieldError::new("sshKey", "invalid", "an SSH key is for ssh:// endpoints only"));
        } else if !(k.starts_with("-----BEGIN") && k.trim_end().ends_with("PRIVATE KEY-----")) {
            errors.push(FieldError::new(
                "sshKey",
                "invalid",
                "the SSH key is not a private key file (it starts with -----BEGIN ... PRIVATE KEY-----)",
            ));
        }
    }
    if engine.store().endpoint_get(&name).await?.is_some() {
        errors.push(FieldError::new("name", "duplicate", format!("an endpoint named {name} already exists")));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    if let Some(b) = &bundle {
        let json = serde_json::to_string(b).expect("a TLS bundle always serialises");
        secrets::reserved_set(engine, &docker::tls_secret(&name), &json).await?;
    }
    if let Some(k) = &ssh_key {
        secrets::reserved_set(engine, &docker::ssh_secret(&name), k).await?;
    }
    let endpoint =
        Endpoint { name: name.clone(), url, kind, builtin: false, has_ssh_key: ssh_key.is_some(), created_at: None };
    let now = now_ms();
    if !engine.store().endpoint_insert(&endpoint, now).await? {
        return Err(Error::invalid("name", "duplicate", format!("an endpoint named {name} already exists")));
    }
    Ok(Endpoint { created_at: Some(crate::model::rfc3339(now)), ..endpoint })
}

/// Connects to an endpoint and describes its daemon, or says exactly why it cannot.
pub async fn endpoint_test(engine: &Engine, name: &str) -> Result<EndpointInfo> {
    let conn = docker::connect(engine, name).await?;
    docker::endpoint_info(&conn).await
}

/// Removes an endpoint and its keys from the keyring.
pub async fn endpoint_remove(engine: &Engine, caller: &Caller, name: &str) -> Result<()> {
    let resource = format!("endpoint {name}");
    audited(engine, caller, Scope::Write, "endpoint.remove", &resource, None, remove(engine, name)).await
}

async fn remove(engine: &Engine, name: &str) -> Result<()> {
    if name == LOCAL_ENDPOINT {
        return Err(Error::invalid("name", "reserved", "the local socket is built in and cannot be removed"));
    }
    let endpoint = docker::find(engine, name).await?;
    engine.store().endpoint_delete(name).await?;
    let secret = match endpoint.kind {
        EndpointKind::Tls => Some(docker::tls_secret(name)),
        EndpointKind::Ssh if endpoint.has_ssh_key => Some(docker::ssh_secret(name)),
        _ => None,
    };
    if let Some(secret) = secret {
        if let Err(e) = secrets::reserved_delete(engine, &secret).await {
            tracing::warn!(endpoint = name, error = %e, "cannot remove a key of a removed endpoint from the keyring");
        }
    }
    Ok(())
}
