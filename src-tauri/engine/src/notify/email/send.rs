//! One attempt at sending, and what its failure means for the user: the SMTP server's own answer
//! when it gave one, else what went wrong and what to check.

use std::error::Error as _;
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{Security, SmtpConfig};

/// How long one attempt may wait for the server at each step.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Why an attempt failed.
#[derive(Debug, Clone)]
pub(crate) struct SendError {
    /// For the run page: the server's answer (`535 5.7.8 ...`) or a sentence with what to do.
    pub message: String,
    /// Whether another attempt may succeed (no connection, a 4xx answer).
    pub transient: bool,
}

impl SendError {
    pub(crate) fn fatal(message: impl Into<String>) -> SendError {
        SendError { message: message.into(), transient: false }
    }
}

/// Sends `email`; returns the server's answer, e.g. `250 OK`.
pub(crate) async fn send(cfg: &SmtpConfig, email: Message) -> Result<String, SendError> {
    let transport = transport(cfg)?;
    match transport.send(email).await {
        Ok(response) => Ok(format!("{} {}", response.code(), response.message().collect::<Vec<_>>().join(" "))),
        Err(e) => Err(explain(cfg, &e)),
    }
}

fn transport(cfg: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, SendError> {
    let tls = || {
        let mut params = TlsParameters::builder(cfg.host.clone())
            .dangerous_accept_invalid_certs(cfg.accept_invalid_certs)
            .dangerous_accept_invalid_hostnames(cfg.accept_invalid_certs);
        if let Some((path, pem)) = &cfg.ca {
            params = params.add_root_certificate(ca_certificate(path, pem)?);
        }
        params.build().map_err(|e| SendError::fatal(format!("cannot set up TLS for {}: {}", cfg.host, chain(&e))))
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.as_str())
        .port(cfg.port)
        .timeout(Some(TIMEOUT));
    builder = match cfg.security {
        Security::None => builder,
        Security::StartTls => builder.tls(Tls::Required(tls()?)),
        Security::Tls => builder.tls(Tls::Wrapper(tls()?)),
    };
    if let Some((user, password)) = &cfg.login {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// The error and its sources, `a: b: c`, without repeating a source that its parent already shows.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

/// The innermost cause: the most specific words (`Connection refused (os error 111)`).
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut deepest = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        deepest = s.to_string();
        source = s.source();
    }
    deepest
}

fn io_kind(e: &lettre::transport::smtp::Error) -> Option<std::io::ErrorKind> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = s.source();
    }
    None
}

/// The certificate(s) of `smtp.caFile`; a file without one is an error that says so.
fn ca_certificate(path: &str, pem: &[u8]) -> Result<Certificate, SendError> {
    let invalid = || {
        SendError::fatal(format!(
            "smtp.caFile {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the authority's certificate in PEM form"
        ))
    };
    if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(invalid());
    }
    Certificate::from_pem(pem).map_err(|_| invalid())
}

fn explain(cfg: &SmtpConfig, e: &lettre::transport::smtp::Error) -> SendError {
    let at = format!("{}:{}", cfg.host, cfg.port);
    if let Some(code) = e.status() {
        // The server's own words, exactly: `535 5.7.8 Authentication credentials invalid`.
        let words = e.source().map(|s| s.to_string()).unwrap_or_default();
        return SendError { message: format!("{code} {words}").trim().to_string(), transient: e.is_transient() };
    }
    let detail = root_cause(e);
    if e.is_tls() || detail.contains("certificate") {
        let hint = if detail.contains("certificate") {
            "the server's certificate is not trusted (self-signed, expired, for another name, or signed by an authority this machine does not know). If a private authority signed it, set smtp.caFile to that authority's PEM file; if you trust this server as it is, set smtp.acceptInvalidCerts to true"
        } else {
            "check smtp.security and smtp.port: 465 usually speaks tls, 587 starttls, 25 none"
        };
        return SendError::fatal(format!("TLS with the SMTP server {at} failed: {hint}. ({detail})"));
    }
    if e.is_timeout() {
        return SendError {
            message: format!("the SMTP server {at} did not answer within {}s ({detail})", TIMEOUT.as_secs()),
            transient: true,
        };
    }
    if detail.contains("lookup address") || detail.contains("Name or service not known") {
        return SendError {
            message: format!("the SMTP host {} does not resolve: check smtp.host and the network ({detail})", cfg.host),
            transient: true,
        };
    }
    if detail.contains("incomplete response") {
        // The connection closed before a whole answer: a server that went away mid-session (or a
        // TLS port that hung up on plain text). Either may pass or be fixed: retried.
        return SendError {
            message: format!(
                "the SMTP server {at} closed the connection in the middle of the session ({detail}): it may have restarted or dropped the session; check the SMTP server's log, and if it expects TLS set smtp.security to tls or starttls"
            ),
            transient: true,
        };
    }
    match io_kind(e) {
        Some(std::io::ErrorKind::ConnectionRefused) => SendError {
            message: format!(
                "the SMTP server {at} refused the connection: is it running, and are smtp.host and smtp.port right? ({detail})"
            ),
            transient: true,
        },
        _ if e.is_response() && cfg.security == Security::None => SendError {
            message: format!(
                "the SMTP server {at} gave an answer that is not SMTP; if it expects TLS, set smtp.security to tls or starttls ({detail})"
            ),
            transient: false,
        },
        _ => SendError { message: format!("cannot send through the SMTP server {at}: {detail}"), transient: true },
    }
}
