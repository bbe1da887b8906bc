//! Registries: where a URL points, the credentials a push sends (the password read from the
//! keyring at the moment it is needed), and which tags go to which registry.

use bollard::auth::DockerCredentials;

use super::reference::{ImageRef, DOCKER_HUB};
use crate::error::Result;
use crate::model::Registry;
use crate::secrets;
use crate::Engine;

/// The keyring name of a registry's password or token.
pub(crate) fn password_secret(name: &str) -> String {
    format!("registry:{name}:password")
}

/// The host (and port) image names start with for the registry at `url`: `https://r.example.com/`
/// gives `r.example.com`; Docker Hub's names all give `docker.io`.
pub(crate) fn host_of(url: &str) -> Result<String, String> {
    let trimmed = url.trim();
    let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://")).unwrap_or(trimmed);
    let host = rest.split('/').next().unwrap_or("").to_string();
    if host.is_empty() {
        return Err(format!("`{url}` names no registry host; give HOST[:PORT], e.g. localhost:5000 or ghcr.io"));
    }
    if matches!(host.as_str(), "docker.io" | "index.docker.io" | "registry-1.docker.io" | "hub.docker.com") {
        return Ok(DOCKER_HUB.to_string());
    }
    ImageRef::parse(&format!("{host}/x"))
        .ok()
        .filter(|r| r.domain.as_deref() == Some(host.as_str()))
        .map(|_| host.clone())
        .ok_or_else(|| format!("`{host}` is not a registry host; give HOST[:PORT], e.g. localhost:5000 or ghcr.io"))
}

/// The host the registry's HTTP API answers on.
pub(crate) fn api_host(host: &str) -> &str {
    if host == DOCKER_HUB {
        "registry-1.docker.io"
    } else {
        host
    }
}

/// What the daemon sends the registry: the user name and the password from the keyring.
pub(crate) async fn credentials(engine: &Engine, registry: &Registry) -> Result<Option<DockerCredentials>> {
    let Some(username) = registry.username.clone() else { return Ok(None) };
    let password = if registry.has_password {
        secrets::reserved_get(engine, &password_secret(&registry.name)).await?
    } else {
        None
    };
    let serveraddress =
        if registry.host == DOCKER_HUB { "https://index.docker.io/v1/".to_string() } else { registry.host.clone() };
    Ok(Some(DockerCredentials {
        username: Some(username),
        password,
        serveraddress: Some(serveraddress),
        ..Default::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_the_host_images_are_named_after() {
        assert_eq!(host_of("localhost:5000").unwrap(), "localhost:5000");
        assert_eq!(host_of("https://registry.example.com/v2/").unwrap(), "registry.example.com");
        assert_eq!(host_of("index.docker.io").unwrap(), DOCKER_HUB);
        assert!(host_of("https://").is_err());
        assert!(host_of("not a host").is_err());
    }
}
