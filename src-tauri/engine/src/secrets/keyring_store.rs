//! Secrets in the OS keyring through the keyring crate. Entries are `service = simple-cicd`,
//! `user = <namespace>/<name>`, the namespace being unique per data directory so two data
//! directories (or test runs) never see each other's secrets.

use super::SecretStore;
use crate::error::{Error, Result};

const SERVICE: &str = "simple-cicd";

/// The keyring-backed store.
pub struct KeyringStore {
    namespace: String,
}

impl KeyringStore {
    /// A store for the data directory whose namespace is `namespace`.
    pub fn new(namespace: String) -> KeyringStore {
        KeyringStore { namespace }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &format!("{}/{name}", self.namespace)).map_err(unavailable)
    }
}

/// Turns the keyring's errors into what the user can do about them.
fn unavailable(e: keyring::Error) -> Error {
    let detail = match keyring::Entry::store_status() {
        Err(init) => format!("{e} ({init})"),
        Ok(()) => e.to_string(),
    };
    let hint = match &e {
        keyring::Error::NoStorageAccess(_) => "the keyring is locked: unlock it (log in to your desktop session, or `gnome-keyring-daemon --unlock`) and try again",
        _ => "no keyring is reachable: install and start a Secret Service provider (gnome-keyring or KeePassXC) inside a desktop or D-Bus session",
    };
    Error::Keyring {
        message: format!(
            "{hint}. On a headless machine use the encrypted file instead: `scicd config set secrets.backend file` and export SIMPLE_CICD_SECRETS_KEY=<a long passphrase>. Keyring said: {detail}"
        ),
    }
}

impl SecretStore for KeyringStore {
    fn set(&self, name: &str, value: &str) -> Result<()> {
        self.entry(name)?.set_password(value).map_err(unavailable)
    }

    fn get(&self, name: &str) -> Result<Option<String>> {
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn delete(&self, name: &str) -> Result<()> {
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn backend(&self) -> &'static str {
        "keyring"
    }
}
