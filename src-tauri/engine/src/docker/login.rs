//! Logging in to a registry, to tell the user whether its address and credentials work before a
//! push needs them: the registry API v2 handshake (`GET /v2/`, then Basic auth or a Bearer token
//! from the realm the registry names), done from this process. HTTPS first; plain HTTP only when
//! HTTPS cannot be spoken, and then the answer says so, because the Docker daemon pushes over
//! HTTP only to registries it lists as insecure (127.0.0.0/8 by default).

use std::time::Duration;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::{header, Request, StatusCode};
use hyper_util::client::legacy::Client;

use super::error::{plain_cause, DockerError};

const TIMEOUT: Duration = Duration::from_secs(15);

type HttpClient =
    Client<hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>, Empty<Bytes>>;

struct Answer {
    status: StatusCode,
    challenge: Option<String>,
}

fn client() -> Result<HttpClient, DockerError> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(std::sync::Arc::new(rustls::crypto::ring::default_provider()))
        .map_err(|e| DockerError::Registry { message: format!("cannot load the system's CA certificates: {e}") })?
        .https_or_http()
        .enable_http1()
        .build();
    Ok(Client::builder(hyper_util::rt::TokioExecutor::new()).build(https))
}

async fn get(client: &HttpClient, url: &str, auth: Option<&str>) -> Result<Answer, String> {
    let mut request = Request::get(url).header(header::USER_AGENT, "simple-cicd");
    if let Some(auth) = auth {
        request = request.header(header::AUTHORIZATION, auth);
    }
    let request = request.body(Empty::new()).map_err(|e| format!("bad URL {url}: {e}"))?;
    let response = match tokio::time::timeout(TIMEOUT, client.request(request)).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(plain_cause(&e)),
        Err(_) => return Err(format!("no answer within {} s", TIMEOUT.as_secs())),
    };
    let status = response.status();
    let challenge = response.headers().get(header::WWW_AUTHENTICATE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let _ = tokio::time::timeout(TIMEOUT, response.into_body().collect()).await;
    Ok(Answer { status, challenge })
}

/// `key="value"` parameters of a `WWW-Authenticate: Bearer ...` challenge.
fn challenge_param(challenge: &str, key: &str) -> Option<String> {
    let rest = challenge.split_once(' ')?.1;
    rest.split(',').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
    })
}

fn query_escape(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Logs in to the registry at `host` (e.g. `localhost:5000`) and returns what to tell the user.
pub(crate) async fn login(
    name: &str,
    host: &str,
    username: Option<&str>,
    password: Option<&str>,
) -> Result<String, DockerError> {
    let client = client()?;
    let refused = |detail: &str| DockerError::RegistryRefused {
        registry: name.to_string(),
        host: host.to_string(),
        cause: match username {
            Some(u) => format!("user {u}: {detail}"),
            None => detail.to_string(),
        },
    };
    let mut last_error = String::new();
    for scheme in ["https", "http"] {
        let base = format!("{scheme}://{host}/v2/");
        let answer = match get(&client, &base, None).await {
            Ok(a) => a,
            Err(e) => {
                last_error = e;
                continue;
            }
        };
        let over = if scheme == "http" {
            " (over plain HTTP: the Docker daemon pushes there only if it lists the registry as insecure; 127.0.0.0/8 is by default)"
        } else {
            ""
        };
        if answer.status.is_success() {
            let note = if username.is_some() { "; the registry asks for no login" } else { "" };
            return Ok(format!("Login Succeeded{note}{over}"));
        }
        if answer.status != StatusCode::UNAUTHORIZED {
            return Err(DockerError::RegistryNotARegistry {
                registry: name.to_string(),
                host: host.to_string(),
                cause: format!("HTTP {} to {base}", answer.status),
            });
        }
        let (Some(user), Some(pass)) = (username, password) else {
            return Err(DockerError::RegistryLoginRequired { registry: name.to_string(), host: host.to_string() });
        };
        let basic = format!("Basic {}", B64.encode(format!("{user}:{pass}")));
        let challenge = answer.challenge.unwrap_or_default();
        let url = if challenge.to_ascii_lowercase().starts_with("bearer") {
            let realm = challenge_param(&challenge, "realm").ok_or_else(|| refused("its token realm is missing"))?;
            let mut url = format!("{realm}?account={}", query_escape(user));
            if let Some(service) = challenge_param(&challenge, "service") {
                url.push_str(&format!("&service={}", query_escape(&service)));
            }
            url
        } else {
            base.clone()
        };
        let answer = get(&client, &url, Some(&basic)).await.map_err(|cause| DockerError::RegistryUnreachable {
            registry: name.to_string(),
            host: url.clone(),
            cause,
        })?;
        return if answer.status.is_success() {
            Ok(format!("Login Succeeded{over}"))
        } else if answer.status == StatusCode::UNAUTHORIZED || answer.status == StatusCode::FORBIDDEN {
            Err(refused(&format!("HTTP {}", answer.status)))
        } else {
            Err(DockerError::Registry {
                message: format!("the login to {name} ({host}) answered HTTP {}", answer.status),
            })
        };
    }
    Err(DockerError::RegistryUnreachable { registry: name.to_string(), host: host.to_string(), cause: last_error })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenges_are_read() {
        let c = r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="x""#;
        assert_eq!(challenge_param(c, "realm").as_deref(), Some("https://auth.example.com/token"));
        assert_eq!(challenge_param(c, "service").as_deref(), Some("registry.example.com"));
        assert_eq!(challenge_param(c, "nope"), None);
    }
}
