//! The SMTP settings, read fresh for each attempt so a fix applies to the next retry.

use lettre::message::Mailbox;

use super::send::SendError;
use crate::{settings, Engine};

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Security {
    None,
    StartTls,
    Tls,
}

/// Everything needed to send.
#[derive(Clone)]
pub(crate) struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub accept_invalid_certs: bool,
    /// The authority to trust besides the system's (`smtp.caFile`): its path and PEM text.
    pub ca: Option<(String, Vec<u8>)>,
    /// Login and password, when the server wants a login.
    pub login: Option<(String, String)>,
    pub from: Mailbox,
}

/// Reads the settings and the password; says what to set when something is missing.
pub(crate) async fn load(engine: &Engine) -> Result<SmtpConfig, SendError> {
    let host = settings::text(engine, "smtp.host").await.trim().to_string();
    if host.is_empty() {
        return Err(SendError::fatal(
            "no SMTP server is set: set smtp.host (Settings, E-mail; or `scicd config set smtp.host smtp.example.com`)",
        ));
    }
    let port = u16::try_from(settings::int(engine, "smtp.port").await).unwrap_or(587);
    let security = match settings::text(engine, "smtp.security").await.as_str() {
        "none" => Security::None,
        "tls" => Security::Tls,
        _ => Security::StartTls,
    };
    let username = settings::text(engine, "smtp.username").await.trim().to_string();
    let login = if username.is_empty() {
        None
    } else {
        match settings::secret(engine, "smtp.password").await {
            Ok(Some(password)) => Some((username.clone(), password)),
            Ok(None) => {
                return Err(SendError::fatal(format!(
                    "smtp.username is {username} but no SMTP password is stored: set it in Settings, E-mail, or with `scicd config set smtp.password` (reads standard input)"
                )))
            }
            Err(e) => return Err(SendError::fatal(format!("the SMTP password cannot be read: {e}"))),
        }
    };
    let from_text = settings::text(engine, "smtp.from").await.trim().to_string();
    let from = if from_text.is_empty() {
        username
            .parse::<lettre::Address>()
            .ok()
            .map(|a| Mailbox::new(Some("simple-cicd".into()), a))
            .ok_or_else(|| SendError::fatal("no sender is set: set smtp.from, e.g. `simple-cicd <ci@example.com>`"))?
    } else {
        from_text.parse().map_err(|e| SendError::fatal(format!("smtp.from `{from_text}` is not an address ({e})")))?
    };
    let ca_file = settings::text(engine, "smtp.caFile").await.trim().to_string();
    let ca = if ca_file.is_empty() {
        None
    } else {
        let pem = tokio::fs::read(&ca_file).await.map_err(|e| {
            SendError::fatal(format!(
                "smtp.caFile {ca_file} cannot be read ({e}): give the path of a PEM file, or unset smtp.caFile"
            ))
        })?;
        Some((ca_file, pem))
    };
    Ok(SmtpConfig {
        host,
        port,
        security,
        accept_invalid_certs: settings::flag(engine, "smtp.acceptInvalidCerts").await,
        ca,
        login,
        from,
    })
}
