//! Why a Docker endpoint or registry cannot be used, in words that say what to do. Every error of
//! bollard, hyper, rustls and ssh is turned into one of these by [`classify`], which reads the
//! whole chain of causes: "connection refused" alone tells the user nothing.

use std::error::Error as StdError;

use crate::model::{EndpointKind, ErrorCode, ErrorParams};

/// What went wrong with a Docker endpoint or a registry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DockerError {
    /// Nothing listens on the socket or port.
    #[error("Docker is not reachable at {url}: is the daemon running?")]
    NotRunning {
        /// The endpoint's URL.
        url: String,
    },
    /// The socket exists but this user may not open it.
    #[error("permission denied on the Docker socket {url}: add your user to the `docker` group (sudo usermod -aG docker $USER, then log in again) or run simple-cicd as a user who may use Docker")]
    PermissionDenied {
        /// The endpoint's URL.
        url: String,
    },
    /// The host answers, but nothing listens on the endpoint's port.
    #[error("Docker is not reachable at {url} (connection refused): nothing listens on that port; check the port, and that the daemon listens on TCP there (dockerd -H tcp://0.0.0.0:PORT) and is running")]
    Refused {
        /// The endpoint's URL.
        url: String,
    },
    /// The host cannot be reached (DNS, routing, firewall).
    #[error("Docker is not reachable at {url} ({detail}): check the address, that the daemon listens there and that no firewall is in the way")]
    Unreachable {
        /// The endpoint's URL.
        url: String,
        /// What the network said.
        detail: String,
    },
    /// No answer in time.
    #[error("Docker at {url} did not answer within {seconds} s: check the address and the network")]
    Timeout {
        /// The endpoint's URL.
        url: String,
        /// The limit.
        seconds: u64,
    },
    /// The TLS handshake failed: wrong CA, a client certificate the daemon does not accept, ...
    #[error("the TLS handshake with {url} failed ({detail}): check the endpoint's CA certificate, client certificate and key")]
    Tls {
        /// The endpoint's URL.
        url: String,
        /// What TLS said.
        detail: String,
    },
    /// A plain `tcp://` endpoint whose daemon wants TLS.
    #[error("the Docker daemon at {url} requires TLS: remove the endpoint and add it again with --tls-ca, --tls-cert and --tls-key")]
    TlsRequired {
        /// The endpoint's URL.
        url: String,
    },
    /// Certificates or keys that cannot be parsed.
    #[error("the TLS files of endpoint {endpoint} cannot be used: {detail}")]
    TlsFiles {
        /// The endpoint's name.
        endpoint: String,
        /// What is wrong with them.
        detail: String,
    },
    /// The SSH server refused the login.
    #[error("SSH authentication to {url} was refused ({detail}): check the user name, and that the endpoint's key (--ssh-key), or your own, is in the host's ~/.ssh/authorized_keys")]
    SshAuth {
        /// The endpoint's URL.
        url: String,
        /// What ssh said.
        detail: String,
    },
    /// Another SSH failure (host unreachable, host key changed, no docker on the host).
    #[error("cannot reach Docker through SSH at {url}: {detail}")]
    Ssh {
        /// The endpoint's URL.
        url: String,
        /// What ssh said.
        detail: String,
    },
    /// The daemon answered with an error.
    #[error("Docker at {url} answered: {message}")]
    Daemon {
        /// The endpoint's URL.
        url: String,
        /// The daemon's own message.
        message: String,
    },
    /// Something answered at the endpoint over HTTP, but not as a Docker Engine does.
    #[error("{url} answered HTTP {status} without a Docker error message: this is not the Docker Engine API; check the address and the port (2375 plain, 2376 with TLS), and that no proxy or other server answers there")]
    NotDocker {
        /// The endpoint's URL.
        url: String,
        /// The HTTP status, e.g. `404 Not Found`.
        status: String,
    },
    /// The registry cannot be reached.
    #[error("the registry {registry} is not reachable at {host} ({cause}): check its address and that it is running")]
    RegistryUnreachable {
        /// The registry's name.
        registry: String,
        /// Its host.
        host: String,
        /// What the network said, in plain words.
        cause: String,
    },
    /// The registry refused the credentials.
    #[error("the registry {registry} ({host}) refused the login ({cause}): check the user name and password (remove the registry and add it again with --username and --password-stdin)")]
    RegistryRefused {
        /// The registry's name.
        registry: String,
        /// Its host.
        host: String,
        /// What it answered.
        cause: String,
    },
    /// The registry wants a login and none is stored.
    #[error("the registry {registry} ({host}) requires a login: remove it and add it again with --username and --password-stdin")]
    RegistryLoginRequired {
        /// The registry's name.
        registry: String,
        /// Its host.
        host: String,
    },
    /// What answers at the host does not speak the registry API.
    #[error("{host} answered {cause}: is it a Docker registry (API v2)? Check the registry {registry}'s address")]
    RegistryNotARegistry {
        /// The registry's name.
        registry: String,
        /// Its host.
        host: String,
        /// What it answered.
        cause: String,
    },
    /// Another registry failure.
    #[error("{message}")]
    Registry {
        /// What happened and what to do.
        message: String,
    },
}

impl DockerError {
    /// The stable code of this failure.
    pub fn code(&self) -> ErrorCode {
        match self {
            DockerError::NotRunning { .. } => ErrorCode::DockerNotRunning,
            DockerError::Refused { .. } => ErrorCode::DockerRefused,
            DockerError::PermissionDenied { .. } => ErrorCode::DockerPermission,
            DockerError::Unreachable { .. } => ErrorCode::DockerUnreachable,
            DockerError::Timeout { .. } => ErrorCode::DockerTimeout,
            DockerError::Tls { .. } => ErrorCode::DockerTls,
            DockerError::TlsRequired { .. } => ErrorCode::DockerTlsRequired,
            DockerError::TlsFiles { .. } => ErrorCode::DockerTlsFiles,
            DockerError::SshAuth { .. } => ErrorCode::DockerSshAuth,
            DockerError::Ssh { .. } => ErrorCode::DockerSsh,
            DockerError::Daemon { .. } | DockerError::NotDocker { .. } => ErrorCode::DockerDaemon,
            DockerError::RegistryUnreachable { .. } => ErrorCode::RegistryUnreachable,
            DockerError::RegistryRefused { .. } => ErrorCode::RegistryRefused,
            DockerError::RegistryLoginRequired { .. } => ErrorCode::RegistryLoginRequired,
            DockerError::RegistryNotARegistry { .. } => ErrorCode::RegistryNotARegistry,
            DockerError::Registry { .. } => ErrorCode::Registry,
        }
    }

    /// The values a translation of [`DockerError::code`] names.
    pub fn params(&self) -> ErrorParams {
        let pairs: Vec<(&str, String)> = match self {
            DockerError::NotRunning { url }
            | DockerError::Refused { url }
            | DockerError::PermissionDenied { url }
            | DockerError::TlsRequired { url } => vec![("url", url.clone())],
            DockerError::Unreachable { url, detail }
            | DockerError::Tls { url, detail }
            | DockerError::SshAuth { url, detail }
            | DockerError::Ssh { url, detail } => vec![("url", url.clone()), ("cause", detail.clone())],
            DockerError::Timeout { url, seconds } => vec![("url", url.clone()), ("seconds", seconds.to_string())],
            DockerError::TlsFiles { endpoint, detail } => {
                vec![("endpoint", endpoint.clone()), ("cause", detail.clone())]
            }
            DockerError::Daemon { url, message } => vec![("url", url.clone()), ("cause", message.clone())],
            DockerError::NotDocker { url, status } => {
                vec![("url", url.clone()), ("status", status.clone()), ("cause", format!("HTTP {status}"))]
            }
            DockerError::RegistryUnreachable { registry, host, cause }
            | DockerError::RegistryRefused { registry, host, cause }
            | DockerError::RegistryNotARegistry { registry, host, cause } => {
                vec![("registry", registry.clone()), ("host", host.clone()), ("cause", cause.clone())]
            }
            DockerError::RegistryLoginRequired { registry, host } => {
                vec![("registry", registry.clone()), ("host", host.clone())]
            }
            DockerError::Registry { message } => vec![("cause", message.clone())],
        };
        pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
}

/// What went wrong on the network, in plain words: `connection refused`, `no route to host`,
/// `timed out`, `the name x does not resolve (...)`, or else the innermost message of the chain
/// without the wrappers of hyper and the OS error number.
pub(crate) fn plain_cause(e: &(dyn StdError + 'static)) -> String {
    use std::io::ErrorKind as K;
    let texts = causes(e);
    if let Some(kind) = io_kind(e) {
        let words = match kind {
            K::ConnectionRefused => Some("connection refused"),
            K::HostUnreachable => Some("no route to host"),
            K::NetworkUnreachable => Some("network unreachable"),
            K::TimedOut => Some("timed out"),
            K::ConnectionReset => Some("connection reset by the peer"),
            K::ConnectionAborted => Some("connection aborted"),
            K::UnexpectedEof => Some("the connection closed before an answer"),
            _ => None,
        };
        if let Some(words) = words {
            return words.to_string();
        }
    }
    let inner = detail(&texts);
    if has(&texts, &["dns error", "failed to lookup address", "name or service not known"]) {
        let inner = inner.rsplit("dns error: ").next().unwrap_or(&inner);
        return format!("the host name does not resolve: {}", strip_os_error(inner));
    }
    strip_os_error(&inner)
}

/// `Connection refused (os error 111)` -> `Connection refused`.
fn strip_os_error(text: &str) -> String {
    match text.find(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text.to_string(),
    }
}

/// Every message in the chain of causes of `e`, outermost first.
pub(crate) fn causes(e: &(dyn StdError + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut next = e.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !out.iter().any(|t| t.contains(&text)) {
            out.push(text);
        }
        next = cause.source();
    }
    out
}

/// The first `std::io::Error` in the chain, if any.
fn io_kind(e: &(dyn StdError + 'static)) -> Option<std::io::ErrorKind> {
    let mut next: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(cause) = next {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        next = cause.source();
    }
    None
}

fn has(texts: &[String], needles: &[&str]) -> bool {
    texts.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        needles.iter().any(|n| t.contains(n))
    })
}

/// The most telling message of the chain: the innermost one that says more than a wrapper.
fn detail(texts: &[String]) -> String {
    texts.iter().rev().find(|t| !t.trim().is_empty()).cloned().unwrap_or_default()
}

/// Turns an error of a request to the endpoint at `url` into what the user can act on.
pub(crate) fn classify(url: &str, kind: EndpointKind, e: &bollard::errors::Error, timeout_secs: u64) -> DockerError {
    use bollard::errors::Error as B;
    let url = url.to_string();
    match e {
        B::SocketNotFoundError(_) => return DockerError::NotRunning { url },
        B::RequestTimeoutError => return DockerError::Timeout { url, seconds: timeout_secs },
        B::DockerResponseServerError { message, status_code } => {
            if message.contains("HTTP request to an HTTPS server") {
                return DockerError::TlsRequired { url };
            }
            if message.trim().is_empty() {
                let status = hyper::StatusCode::from_u16(*status_code)
                    .map(|s| s.to_string())
                    .unwrap_or_else(|_| status_code.to_string());
                return DockerError::NotDocker { url, status };
            }
            return DockerError::Daemon { url, message: message.trim().to_string() };
        }
        B::DockerStreamError { error } => return DockerError::Daemon { url, message: error.trim().to_string() },
        _ => {}
    }
    let texts = causes(e);
    if kind == EndpointKind::Ssh {
        return if has(&texts, &["permission denied", "authentication", "too many authentication failures"]) {
            DockerError::SshAuth { url, detail: ssh_detail(&texts) }
        } else {
            DockerError::Ssh { url, detail: ssh_detail(&texts) }
        };
    }
    if kind == EndpointKind::Tls
        && has(&texts, &["tls", "certificate", "handshake", "alert", "corrupt message", "peer", "invalidcontenttype"])
    {
        return DockerError::Tls { url, detail: plain_cause(e) };
    }
    if kind == EndpointKind::Tcp && has(&texts, &["http request to an https server"]) {
        return DockerError::TlsRequired { url };
    }
    let io = match e {
        B::IOError { err } => Some(err.kind()),
        other => io_kind(other),
    };
    match io {
        Some(std::io::ErrorKind::PermissionDenied) => DockerError::PermissionDenied { url },
        Some(std::io::ErrorKind::ConnectionRefused) if kind != EndpointKind::Unix => DockerError::Refused { url },
        Some(std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound) => DockerError::NotRunning { url },
        Some(std::io::ErrorKind::TimedOut) => DockerError::Timeout { url, seconds: timeout_secs },
        _ if has(&texts, &["connection refused"]) && kind != EndpointKind::Unix => DockerError::Refused { url },
        _ if has(&texts, &["connection refused"]) => DockerError::NotRunning { url },
        _ if has(&texts, &["permission denied"]) => DockerError::PermissionDenied { url },
        _ if kind == EndpointKind::Tls && has(&texts, &["connection reset", "unexpected eof", "broken pipe"]) => {
            DockerError::Tls { url, detail: plain_cause(e) }
        }
        _ => DockerError::Unreachable { url, detail: plain_cause(e) },
    }
}

/// ssh's own words (its log is in the error), without the crate's wrapping.
fn ssh_detail(texts: &[String]) -> String {
    let text = detail(texts);
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io(kind: std::io::ErrorKind) -> bollard::errors::Error {
        bollard::errors::Error::IOError { err: std::io::Error::new(kind, "os said no") }
    }

    #[test]
    fn socket_errors_say_what_to_do() {
        let url = "unix:///var/run/docker.sock";
        let e = classify(url, EndpointKind::Unix, &io(std::io::ErrorKind::PermissionDenied), 5);
        assert!(e.to_string().contains("docker` group"), "{e}");
        let e = classify(url, EndpointKind::Unix, &io(std::io::ErrorKind::ConnectionRefused), 5);
        assert_eq!(e.to_string(), "Docker is not reachable at unix:///var/run/docker.sock: is the daemon running?");
        let e = classify(url, EndpointKind::Unix, &bollard::errors::Error::SocketNotFoundError("/x".into()), 5);
        assert!(matches!(e, DockerError::NotRunning { .. }), "a missing socket means no daemon: {e}");
    }

    #[test]
    fn network_causes_are_said_in_plain_words() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        assert_eq!(plain_cause(&refused), "connection refused");
        let dns = std::io::Error::other("dns error: failed to lookup address information: Name or service not known");
        assert_eq!(
            plain_cause(&dns),
            "the host name does not resolve: failed to lookup address information: Name or service not known"
        );
        let other = std::io::Error::other("Broken thing (os error 5)");
        assert_eq!(plain_cause(&other), "Broken thing", "the OS error number is noise");
    }

    #[test]
    fn an_http_answer_without_a_docker_message_is_not_an_empty_cause() {
        let e = bollard::errors::Error::DockerResponseServerError { status_code: 404, message: String::new() };
        let e = classify("tcp://10.0.0.5:2376", EndpointKind::Tcp, &e, 5);
        assert!(e.to_string().contains("answered HTTP 404 Not Found"), "{e}");
        assert_eq!(e.params()["status"], "404 Not Found");
    }

    #[test]
    fn a_tls_port_spoken_to_in_plain_http_asks_for_certificates() {
        let e = bollard::errors::Error::DockerResponseServerError {
            status_code: 400,
            message: "Client sent an HTTP request to an HTTPS server.".into(),
        };
        let e = classify("tcp://127.0.0.1:2376", EndpointKind::Tcp, &e, 5);
        assert!(matches!(e, DockerError::TlsRequired { .. }), "{e}");
        assert!(e.to_string().contains("--tls-ca"), "{e}");
    }
}
