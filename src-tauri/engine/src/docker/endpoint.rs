//! Endpoints: parsing their URLs, keeping their keys in the keyring, and connecting to them.
//!
//! A [`Connection`] is a bollard client whose API version was negotiated with the daemon. For
//! `ssh://` endpoints with a stored key, the key has to be a file for `ssh -i`: it is written to a
//! private directory (mode 0700, in `$XDG_RUNTIME_DIR` when there is one) that lives exactly as
//! long as the connection.

use std::path::PathBuf;
use std::time::Duration;

use bollard::{Docker, API_DEFAULT_VERSION};

use super::error::{classify, DockerError};
use super::tls::{self, TlsBundle};
use crate::error::{Error, Result};
use crate::model::{Endpoint, EndpointKind, LOCAL_ENDPOINT};
use crate::secrets;
use crate::Engine;

/// The local socket the built-in endpoint uses.
pub const LOCAL_SOCKET_URL: &str = "unix:///var/run/docker.sock";
/// How long connecting (and the first request) may take, unless
/// `SIMPLE_CICD_DOCKER_CONNECT_TIMEOUT_SECONDS` says otherwise (slow links, tests).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// The environment variable that overrides [`CONNECT_TIMEOUT`], in whole seconds.
const CONNECT_TIMEOUT_ENV: &str = "SIMPLE_CICD_DOCKER_CONNECT_TIMEOUT_SECONDS";

fn connect_timeout() -> Duration {
    std::env::var(CONNECT_TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(CONNECT_TIMEOUT)
}
/// bollard's per-request limit on waiting for response headers. Streams (build output, logs)
/// are not limited by it; a long build's first answer can take a while on a slow link.
const REQUEST_TIMEOUT_SECS: u64 = 3600;

/// The keyring name of an endpoint's TLS bundle.
pub(crate) fn tls_secret(name: &str) -> String {
    format!("endpoint:{name}:tls")
}

/// The keyring name of an endpoint's SSH key.
pub(crate) fn ssh_secret(name: &str) -> String {
    format!("endpoint:{name}:ssh-key")
}

/// The built-in endpoint.
pub(crate) fn local() -> Endpoint {
    Endpoint {
        name: LOCAL_ENDPOINT.to_string(),
        url: LOCAL_SOCKET_URL.to_string(),
        kind: EndpointKind::Unix,
        builtin: true,
        has_ssh_key: false,
        created_at: None,
    }
}

/// Checks an endpoint URL and returns it normalised with its kind (`tls` when `tls` is set and it
/// is a `tcp://` URL). `tcp://` without a port gets Docker's default (2375, or 2376 with TLS).
pub(crate) fn parse_url(url: &str, tls: bool) -> Result<(String, EndpointKind), String> {
    let url = url.trim();
    if let Some(path) = url.strip_prefix("unix://") {
        if !path.starts_with('/') {
            return Err(format!(
                "`{url}`: a socket URL is unix:// followed by an absolute path, e.g. {LOCAL_SOCKET_URL}"
            ));
        }
        return Ok((url.to_string(), EndpointKind::Unix));
    }
    if let Some(rest) = url.strip_prefix("tcp://") {
        let host_port = rest.trim_end_matches('/');
        let Some((host, port)) = split_host_port(host_port) else {
            return Err(format!(
                "`{url}`: a TCP endpoint is tcp://HOST:PORT (a host name or an IP address, an IPv6 one in \
                 brackets), e.g. tcp://10.0.0.5:2376"
            ));
        };
        let with_port = format!("{host}:{}", port.unwrap_or(if tls { 2376 } else { 2375 }));
        let kind = if tls { EndpointKind::Tls } else { EndpointKind::Tcp };
        return Ok((format!("tcp://{with_port}"), kind));
    }
    if let Some(rest) = url.strip_prefix("ssh://") {
        let host = rest.rsplit('@').next().unwrap_or("");
        if host.is_empty() || rest.contains(['/', ' ']) {
            return Err(format!("`{url}`: an SSH endpoint is ssh://USER@HOST[:PORT], e.g. ssh://deploy@build-box"));
        }
        return Ok((url.trim_end_matches('/').to_string(), EndpointKind::Ssh));
    }
    Err(format!("`{url}` is not an endpoint URL: use unix:///path/docker.sock, tcp://HOST:PORT or ssh://USER@HOST"))
}

/// The host and port of `tcp://`'s HOST[:PORT]: a host name or IPv4 address, or an IPv6 address in
/// brackets; a port from 1 to 65535. None for anything else (a stray `:` made the normal form
/// differ from the URL it was made from; found by the urls fuzz target).
fn split_host_port(host_port: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = match host_port.strip_prefix('[') {
        Some(inner) => {
            let (address, rest) = inner.split_once(']')?;
            let ok = !address.is_empty() && address.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            (ok.then_some(&host_port[..address.len() + 2])?, rest)
        }
        None => {
            let end = host_port.find(':').unwrap_or(host_port.len());
            let host = &host_port[..end];
            let ok =
                !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            (ok.then_some(host)?, &host_port[end..])
        }
    };
    if port.is_empty() {
        return Some((host, None));
    }
    let digits = port.strip_prefix(':')?;
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u16>().ok().filter(|p| *p > 0).map(|p| (host, Some(p)))
}

/// A private directory holding a key file; removed with everything in it when dropped.
#[derive(Debug)]
pub(crate) struct KeyDir {
    dir: PathBuf,
}

impl KeyDir {
    fn write(key: &str) -> std::io::Result<(KeyDir, PathBuf)> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        let dir = base.join(format!("simple-cicd-ssh-{}", uuid::Uuid::new_v4().simple()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        let keydir = KeyDir { dir };
        let path = keydir.dir.join("id");
        let mut text = key.to_string();
        if !text.ends_with('\n') {
            text.push('\n'); // ssh refuses a key file without its final newline
        }
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&path)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        Ok((keydir, path))
    }
}

impl Drop for KeyDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A client of one endpoint, its API version negotiated.
pub(crate) struct Connection {
    /// The client.
    pub docker: Docker,
    /// The endpoint.
    pub endpoint: Endpoint,
    _key: Option<KeyDir>,
}

impl Connection {
    /// Turns an error of a request on this connection into what the user can act on.
    pub(crate) fn error(&self, e: &bollard::errors::Error) -> DockerError {
        classify(&self.endpoint.url, self.endpoint.kind, e, connect_timeout().as_secs())
    }
}

/// The endpoint called `name`: stored, or the built-in local socket.
pub(crate) async fn find(engine: &Engine, name: &str) -> Result<Endpoint> {
    if name == LOCAL_ENDPOINT {
        return Ok(local());
    }
    engine.store().endpoint_get(name).await?.ok_or_else(|| Error::EndpointUnknown { name: name.to_string() })
}

/// The TLS certificates and key of endpoint `name`, from the keyring.
pub(crate) async fn tls_bundle(engine: &Engine, name: &str) -> Result<TlsBundle> {
    let text = secrets::reserved_get(engine, &tls_secret(name)).await?.ok_or_else(|| DockerError::TlsFiles {
        endpoint: name.to_string(),
        detail: "they are no longer in the secret store; remove the endpoint and add it again".into(),
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Corrupt(format!("TLS material of endpoint {name}: {e}")))
}

/// Connects to the endpoint called `name` and negotiates the API version. Every failure is a
/// [`DockerError`] that says what to do.
pub(crate) async fn connect(engine: &Engine, name: &str) -> Result<Connection> {
    let endpoint = find(engine, name).await?;
    let (docker, key) = match endpoint.kind {
        EndpointKind::Unix => {
            let d = Docker::connect_with_unix(&endpoint.url, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
                .map_err(|e| classify(&endpoint.url, endpoint.kind, &e, 0))?;
            (d, None)
        }
        EndpointKind::Tcp => {
            let address = endpoint.url.replacen("tcp://", "http://", 1);
            let d = Docker::connect_with_http(&address, REQUEST_TIMEOUT_SECS, API_DEFAULT_VERSION)
                .map_err(|e| classify(&endpoint.url, endpoint.kind, &e, 0))?;
            (d, None)
        }
        EndpointKind::Tls => {
            let bundle = tls_bundle(engine, name).await?;
            let d = tls::connect(&endpoint.url, &bundle, REQUEST_TIMEOUT_SECS)
                .map_err(|detail| DockerError::TlsFiles { endpoint: name.to_string(), detail })?;
            (d, None)
        }
        EndpointKind::Ssh => {
            let (keydir, keypath) = if endpoint.has_ssh_key {
                let key = secrets::reserved_get(engine, &ssh_secret(name)).await?.ok_or_else(|| DockerError::Ssh {
                    url: endpoint.url.clone(),
                    detail: "its SSH key is no longer in the secret store; remove the endpoint and add it again".into(),
                })?;
                let (dir, path) = KeyDir::write(&key)
                    .map_err(|e| Error::io("cannot write the SSH key for the connection".to_string(), e))?;
                (Some(dir), Some(path))
            } else {
                (None, None)
            };
            let d = super::ssh::connect(&endpoint.url, keypath, REQUEST_TIMEOUT_SECS)
                .map_err(|detail| DockerError::Ssh { url: endpoint.url.clone(), detail })?;
            (d, keydir)
        }
    };
    let limit = connect_timeout();
    let docker = match tokio::time::timeout(limit, docker.negotiate_version()).await {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return Err(classify(&endpoint.url, endpoint.kind, &e, limit.as_secs()).into()),
        Err(_) => return Err(DockerError::Timeout { url: endpoint.url.clone(), seconds: limit.as_secs() }.into()),
    };
    Ok(Connection { docker, endpoint, _key: key })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_completed() {
        assert_eq!(parse_url("tcp://10.0.0.5", true).unwrap(), ("tcp://10.0.0.5:2376".into(), EndpointKind::Tls));
        assert_eq!(parse_url("tcp://h:2375/", false).unwrap(), ("tcp://h:2375".into(), EndpointKind::Tcp));
        assert_eq!(parse_url("ssh://me@box:2222", false).unwrap().1, EndpointKind::Ssh);
        assert_eq!(parse_url(LOCAL_SOCKET_URL, false).unwrap().1, EndpointKind::Unix);
        for bad in ["http://h:2375", "unix://relative.sock", "tcp://", "ssh://", "docker.sock"] {
            assert!(parse_url(bad, false).is_err(), "{bad} is refused");
        }
    }

    #[test]
    fn a_tcp_host_is_a_name_an_address_or_a_bracketed_ipv6_and_its_normal_form_is_stable() {
        // Found by the urls fuzz target: `tcp://h::2375` became tcp://h::2375:2375, which read
        // back as another endpoint.
        assert_eq!(parse_url("tcp://[::1]", false).unwrap().0, "tcp://[::1]:2375");
        assert_eq!(parse_url("tcp://[fd00::5]:2376", true).unwrap().0, "tcp://[fd00::5]:2376");
        assert_eq!(parse_url("tcp://build-box.lan:1", false).unwrap().0, "tcp://build-box.lan:1");
        for bad in [
            "tcp://h::2375",
            "tcp://::1",
            "tcp://h:0",
            "tcp://h:65536",
            "tcp://h:x",
            "tcp://\\V\0g:1",
            "tcp://[]:1",
            "tcp://[::1]x",
        ] {
            assert!(parse_url(bad, false).is_err(), "{bad} is refused");
        }
        for url in ["tcp://h", "tcp://10.0.0.5:2376", "tcp://[::1]"] {
            let normal = parse_url(url, false).unwrap().0;
            assert_eq!(parse_url(&normal, false).unwrap().0, normal, "the normal form of {url} is stable");
        }
    }

    #[test]
    fn the_ssh_key_file_is_private_and_gone_with_its_connection() {
        use std::os::unix::fs::PermissionsExt;
        let (dir, path) = KeyDir::write("KEY").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "KEY\n");
        drop(dir);
        assert!(!path.exists(), "the key file is removed with the connection");
    }
}
