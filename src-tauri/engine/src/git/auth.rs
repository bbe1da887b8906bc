//! Credentials and the libgit2 callbacks that hand them over: HTTPS token or password, SSH key
//! (with passphrase) from memory, or the user's ssh-agent; and the SSH host key check.
//!
//! Host keys are pinned per repository on first contact (trust on first use): the fingerprint is
//! recorded, and a later connection with another key is refused.

use std::sync::{Arc, Mutex};

use git2::{CertificateCheckStatus, Cred, CredentialType, RemoteCallbacks};

use super::error::Attempt;
use crate::model::RepoAuth;

/// What a connection may present to the server. Never logged, never serialised.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// The kind.
    pub auth: RepoAuth,
    /// User name, if set.
    pub username: Option<String>,
    /// Token, password, or the private key's text.
    pub secret: Option<String>,
    /// The key's passphrase.
    pub passphrase: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials").field("auth", &self.auth).field("username", &self.username).finish()
    }
}

/// The host key of a repository: what was recorded, and what this connection saw.
#[derive(Debug, Clone, Default)]
pub(crate) struct HostKeyPin {
    /// The fingerprint recorded before, if any.
    pub expected: Option<String>,
    /// The fingerprint this connection saw (to record on first use).
    pub seen: Arc<Mutex<Option<String>>>,
    /// How known_hosts names the host (`host`, or `[host]:port`).
    pub names: Vec<String>,
}

impl HostKeyPin {
    /// The pin of a repository at `url`, with the fingerprint recorded before, if any.
    pub(crate) fn for_url(url: &str, expected: Option<String>) -> HostKeyPin {
        let names = super::url::parse(url).map(|u| super::known_hosts::names(&u.host, u.port)).unwrap_or_default();
        HostKeyPin { expected, seen: Arc::default(), names }
    }
}

/// `SHA256:<base64>` as OpenSSH prints it.
fn fingerprint(hash: &[u8; 32]) -> String {
    use base64::Engine as _;
    format!("SHA256:{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(hash))
}

/// Installs the credentials and host key callbacks.
pub(crate) fn install<'a>(
    callbacks: &mut RemoteCallbacks<'a>,
    creds: &'a Credentials,
    pin: &'a HostKeyPin,
    attempt: &Attempt,
) {
    let asked = attempt.auth_asked.clone();
    let failed = attempt.auth_failed.clone();
    callbacks.credentials(move |_url, url_user, allowed| {
        let give_up = |msg: &str| {
            failed.set(true);
            Err(git2::Error::from_str(msg))
        };
        if allowed.contains(CredentialType::USERNAME) {
            // SSH asks for the user name first, when the URL has none.
            return Cred::username(creds.username.as_deref().or(url_user).unwrap_or("git"));
        }
        let n = asked.get() + 1;
        asked.set(n);
        // libgit2 asks again after a refusal; a second ask means the first answer was refused.
        if n > 1 {
            return give_up("the server refused the credentials");
        }
        match creds.auth {
            RepoAuth::None => give_up("the server asks for credentials and the repository has none"),
            RepoAuth::Token => {
                if !allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
                    return give_up(
                        "the server does not accept a token or password here (an SSH URL needs an SSH key)",
                    );
                }
                let user = creds.username.as_deref().or(url_user).unwrap_or("git");
                Cred::userpass_plaintext(user, creds.secret.as_deref().unwrap_or(""))
            }
            RepoAuth::SshKey => {
                if !allowed.contains(CredentialType::SSH_KEY) {
                    return give_up("the server does not accept an SSH key here (an https URL needs a token)");
                }
                let user = creds.username.as_deref().or(url_user).unwrap_or("git");
                let key = creds.secret.as_deref().unwrap_or("");
                Cred::ssh_key_from_memory(user, None, key, creds.passphrase.as_deref())
            }
            RepoAuth::SshAgent => {
                if !allowed.contains(CredentialType::SSH_KEY) {
                    return give_up("the server does not accept SSH authentication here");
                }
                let user = creds.username.as_deref().or(url_user).unwrap_or("git");
                Cred::ssh_key_from_agent(user)
            }
        }
    });
    let refused = attempt.host_key_refused.clone();
    callbacks.certificate_check(move |cert, _host| {
        let Some(hostkey) = cert.as_hostkey() else {
            // TLS certificates: libgit2's own verification against the system's CAs.
            return Ok(CertificateCheckStatus::CertificatePassthrough);
        };
        let Some(hash) = hostkey.hash_sha256() else {
            refused.set(true);
            return Err(git2::Error::from_str("the server's SSH host key has no SHA-256 fingerprint"));
        };
        let seen = fingerprint(hash);
        *pin.seen.lock().expect("host key lock") = Some(seen.clone());
        match &pin.expected {
            Some(expected) if *expected != seen => {
                refused.set(true);
                Err(git2::Error::from_str(&format!("host key {seen} differs from the recorded {expected}")))
            }
            Some(_) => Ok(CertificateCheckStatus::CertificateOk),
            None => {
                let raw = hostkey.hostkey().unwrap_or_default();
                if super::known_hosts::check(&pin.names, raw) == super::known_hosts::KnownHost::Mismatch {
                    refused.set(true);
                    return Err(git2::Error::from_str(&format!(
                        "host key {seen} differs from the one in your known_hosts"
                    )));
                }
                Ok(CertificateCheckStatus::CertificateOk)
            }
        }
    });
}
