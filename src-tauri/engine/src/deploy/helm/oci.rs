//! Charts from OCI registries (`chart: oci://HOST/path`): a registry simple-cicd knows (the
//! Registries page, `scicd registry add`) lends its credentials, which reach Helm as a registry
//! config file only the user can read (never on a command line), and a registry spoken to over
//! plain HTTP (an `http://` URL, or a loopback host, as Docker treats one) gets `--plain-http`.

use std::path::{Path, PathBuf};

use base64::Engine as _;

use crate::docker::credentials;
use crate::error::{Error, Result};
use crate::model::Registry;
use crate::Engine;

/// How Helm reaches the chart's registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartAccess {
    /// `--registry-config FILE`: the credentials of the stored registry, when it has some.
    pub registry_config: Option<PathBuf>,
    /// `--plain-http`.
    pub plain_http: bool,
}

/// The host of an `oci://HOST/path` chart reference (`None` for any other chart).
pub(crate) fn oci_host(chart: &str) -> Option<&str> {
    chart.trim().strip_prefix("oci://")?.split('/').next().filter(|h| !h.is_empty())
}

/// Whether a registry at `host` whose URL is `url` (when one is stored) speaks plain HTTP.
fn plain_http(host: &str, url: Option<&str>) -> bool {
    match url.map(str::trim) {
        Some(u) if u.starts_with("http://") => true,
        Some(u) if u.starts_with("https://") => false,
        _ => {
            let name =
                host.rsplit_once(':').filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit())).map_or(host, |(h, _)| h);
            matches!(name, "localhost" | "127.0.0.1" | "[::1]" | "::1")
        }
    }
}

/// How Helm reaches `chart`; the registry config file (when any) is written into `dir`.
pub(crate) async fn chart_access(engine: &Engine, chart: &str, dir: &Path) -> Result<ChartAccess> {
    let Some(host) = oci_host(chart) else { return Ok(ChartAccess::default()) };
    let registry: Option<Registry> = engine.store().registry_all().await?.into_iter().find(|r| r.host == host);
    let mut access =
        ChartAccess { registry_config: None, plain_http: plain_http(host, registry.as_ref().map(|r| r.url.as_str())) };
    let Some(registry) = registry else { return Ok(access) };
    let Some(creds) = credentials(engine, &registry).await? else { return Ok(access) };
    let pair = format!("{}:{}", creds.username.unwrap_or_default(), creds.password.unwrap_or_default());
    let auth = base64::engine::general_purpose::STANDARD.encode(pair);
    let config = serde_json::json!({ "auths": { host: { "auth": auth } } }).to_string();
    let path = dir.join("registry-config.json");
    super::launch::write_private(&path, &config).map_err(|m| Error::invalid("chart", "unwritable", m))?;
    access.registry_config = Some(path);
    Ok(access)
}

/// What to do when the registry of an OCI chart refused Helm for want of a login (`message` is
/// what Helm said), or `None` when that is not what happened.
pub(crate) fn login_hint(chart: &str, access: &ChartAccess, message: &str) -> Option<String> {
    let host = oci_host(chart)?;
    let lower = message.to_lowercase();
    let refused = ["basic credential not found", "unauthorized", "401", "authentication required"];
    if !refused.iter().any(|r| lower.contains(r)) {
        return None;
    }
    Some(match access.registry_config {
        None => format!(
            "the registry {host} wants a login: add it with its user name and password on the Registries page (or `scicd registry add NAME {host} --username USER --password-stdin`)"
        ),
        Some(_) => format!(
            "the registry {host} refused the stored credentials: check them on the Registries page (Test logs in)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_oci_references_name_a_registry_host() {
        assert_eq!(oci_host("oci://localhost:5000/charts/demo"), Some("localhost:5000"));
        assert_eq!(oci_host(" oci://ghcr.io/me/chart "), Some("ghcr.io"));
        assert_eq!(oci_host("bitnami/nginx"), None);
        assert_eq!(oci_host("oci:///x"), None);
    }

    #[test]
    fn plain_http_for_http_urls_and_loopback_hosts_unless_https_is_said() {
        assert!(plain_http("localhost:5000", None));
        assert!(plain_http("127.0.0.1:5000", Some("127.0.0.1:5000")));
        assert!(plain_http("registry.lan:5000", Some("http://registry.lan:5000")));
        assert!(!plain_http("localhost:5000", Some("https://localhost:5000")));
        assert!(!plain_http("ghcr.io", None));
        assert!(!plain_http("registry.example.com", Some("registry.example.com")));
    }

    #[test]
    fn a_refused_login_says_where_to_store_the_credentials() {
        let said = "failed to perform \"FetchReference\": basic credential not found";
        let hint = login_hint("oci://r.lan:5000/c/demo", &ChartAccess::default(), said).unwrap();
        assert!(hint.contains("r.lan:5000 wants a login") && hint.contains("scicd registry add"), "{hint}");
        let stored = ChartAccess { registry_config: Some("x".into()), plain_http: false };
        assert!(login_hint("oci://r.lan/c", &stored, "401 Unauthorized").unwrap().contains("refused the stored"));
        assert_eq!(login_hint("oci://r.lan/c", &stored, "not found"), None);
        assert_eq!(login_hint("./chart", &stored, "401"), None);
    }
}
