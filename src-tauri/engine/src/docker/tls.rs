//! `tcp://` with TLS client certificates. The certificates and the key come from the keyring and
//! stay in memory: bollard's own TLS client reads key files from disk at every handshake, so this
//! one is a custom transport over hyper-rustls with an in-memory rustls configuration.

use std::sync::Arc;

use bollard::{BollardRequest, Docker, API_DEFAULT_VERSION};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::{Deserialize, Serialize};

/// The PEM texts of a TLS endpoint, as kept in the keyring.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct TlsBundle {
    /// CA certificate(s) the daemon's certificate must chain to.
    pub ca: String,
    /// Client certificate (chain).
    pub cert: String,
    /// Client private key.
    pub key: String,
}

impl std::fmt::Debug for TlsBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsBundle { .. }")
    }
}

/// The rustls configuration of a bundle; the error says which part is unusable.
pub(crate) fn client_config(bundle: &TlsBundle) -> Result<rustls::ClientConfig, String> {
    let mut roots = rustls::RootCertStore::empty();
    let ca: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(bundle.ca.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the CA certificate is not PEM ({e})"))?;
    if ca.is_empty() {
        return Err("the CA certificate holds no PEM certificate".into());
    }
    for cert in ca {
        roots.add(cert).map_err(|e| format!("the CA certificate cannot be used: {e}"))?;
    }
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(bundle.cert.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the client certificate is not PEM ({e})"))?;
    if chain.is_empty() {
        return Err("the client certificate holds no PEM certificate".into());
    }
    let key = PrivateKeyDer::from_pem_slice(bundle.key.as_bytes())
        .map_err(|e| format!("the client key is not a PEM private key ({e})"))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS cannot be set up: {e}"))?
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .map_err(|e| format!("the client certificate and key do not go together: {e}"))
}

/// A client for `tcp://host:port` over TLS with `bundle`.
pub(crate) fn connect(url: &str, bundle: &TlsBundle, timeout_secs: u64) -> Result<Docker, String> {
    let config = client_config(bundle)?;
    let https = hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(config).https_only().enable_http1().build();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
    let address = url.replacen("tcp://", "https://", 1);
    Docker::connect_with_custom_transport(
        move |request: BollardRequest| {
            let client = client.clone();
            async move { client.request(request).await.map_err(bollard::errors::Error::from) }
        },
        Some(address),
        timeout_secs,
        API_DEFAULT_VERSION,
    )
    .map_err(|e| e.to_string())
}
