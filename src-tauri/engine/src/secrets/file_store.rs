//! The headless fallback: every secret in one file, encrypted with XChaCha20-Poly1305 under a key
//! derived (Argon2id, random salt) from the passphrase in `$SIMPLE_CICD_SECRETS_KEY`. Without the
//! variable the store refuses to work: a secret is never written in plain text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

use super::SecretStore;
use crate::error::{Error, Result};

/// The variable that holds the passphrase of the encrypted file.
pub const SECRETS_KEY_ENV: &str = "SIMPLE_CICD_SECRETS_KEY";

/// The encrypted-file store.
pub struct FileStore {
    path: PathBuf,
    passphrase: String,
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    version: u32,
    salt: String,
    nonce: String,
    ciphertext: String,
}

impl FileStore {
    /// The store at `path`, keyed by `$SIMPLE_CICD_SECRETS_KEY`.
    pub fn from_env(path: PathBuf) -> Result<FileStore> {
        let passphrase = std::env::var(SECRETS_KEY_ENV).unwrap_or_default();
        if passphrase.chars().count() < 12 {
            return Err(Error::Keyring {
                message: format!(
                    "secrets.backend is `file`, but ${SECRETS_KEY_ENV} is unset or shorter than 12 characters: export a long passphrase in it (and keep it: without it the secrets cannot be read)"
                ),
            });
        }
        Ok(FileStore { path, passphrase })
    }

    fn key(&self, salt: &[u8]) -> Result<chacha20poly1305::Key> {
        // Argon2 is slow on purpose; a derived key is kept in memory per (passphrase, salt), so
        // reading a secret on a hot path (every webhook delivery checks its secret) costs one
        // file read, not one derivation. A save draws a new salt, hence a new derivation.
        use sha2::Digest;
        static KEYS: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<Vec<u8>, [u8; 32]>>> =
            std::sync::OnceLock::new();
        let mut id = sha2::Sha256::digest(self.passphrase.as_bytes()).to_vec();
        id.extend_from_slice(salt);
        let cache = KEYS.get_or_init(Default::default);
        if let Some(key) = cache.lock().expect("key cache lock").get(&id) {
            return Ok((*key).into());
        }
        let key = self.derive(salt)?;
        let mut cache = cache.lock().expect("key cache lock");
        if cache.len() > 64 {
            cache.clear();
        }
        cache.insert(id, key.into());
        Ok(key)
    }

    fn derive(&self, salt: &[u8]) -> Result<chacha20poly1305::Key> {
        let mut key = [0u8; 32];
        argon2::Argon2::default()
            .hash_password_into(self.passphrase.as_bytes(), salt, &mut key)
            .map_err(|e| Error::Keyring { message: format!("cannot derive the secrets key: {e}") })?;
        Ok(key.into())
    }

    fn load(&self) -> Result<BTreeMap<String, String>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(Error::io(format!("cannot read {}", self.path.display()), e)),
        };
        let damaged =
            || Error::Keyring { message: format!("{} is damaged; restore it from a backup", self.path.display()) };
        let sealed: Sealed = serde_json::from_str(&text).map_err(|_| damaged())?;
        let salt = B64.decode(&sealed.salt).map_err(|_| damaged())?;
        let nonce = B64.decode(&sealed.nonce).map_err(|_| damaged())?;
        let ciphertext = B64.decode(&sealed.ciphertext).map_err(|_| damaged())?;
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| damaged())?;
        let cipher = XChaCha20Poly1305::new(&self.key(&salt)?);
        let plain = cipher.decrypt(&XNonce::from(nonce), ciphertext.as_ref()).map_err(|_| Error::Keyring {
            message: format!(
                "cannot decrypt {}: ${SECRETS_KEY_ENV} is not the passphrase it was written with",
                self.path.display()
            ),
        })?;
        serde_json::from_slice(&plain).map_err(|_| damaged())
    }

    fn save(&self, map: &BTreeMap<String, String>) -> Result<()> {
        use chacha20poly1305::aead::rand_core::RngCore;
        use std::os::unix::fs::OpenOptionsExt;
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let plain = serde_json::to_vec(map).expect("a map of strings serialises");
        let ciphertext = XChaCha20Poly1305::new(&self.key(&salt)?)
            .encrypt(&nonce, plain.as_ref())
            .map_err(|e| Error::Keyring { message: format!("cannot encrypt the secrets: {e}") })?;
        let sealed =
            Sealed { version: 1, salt: B64.encode(salt), nonce: B64.encode(nonce), ciphertext: B64.encode(ciphertext) };
        let tmp = self.path.with_extension("enc.tmp");
        let fail = |e| Error::io(format!("cannot write {}", tmp.display()), e);
        let mut file =
            std::fs::OpenOptions::new().create(true).truncate(true).write(true).mode(0o600).open(&tmp).map_err(fail)?;
        std::io::Write::write_all(&mut file, serde_json::to_string(&sealed).expect("serialises").as_bytes())
            .map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&tmp, &self.path).map_err(|e| Error::io(format!("cannot replace {}", self.path.display()), e))
    }
}

impl SecretStore for FileStore {
    fn set(&self, name: &str, value: &str) -> Result<()> {
        let mut map = self.load()?;
        map.insert(name.to_string(), value.to_string());
        self.save(&map)
    }

    fn get(&self, name: &str) -> Result<Option<String>> {
        Ok(self.load()?.remove(name))
    }

    fn delete(&self, name: &str) -> Result<()> {
        let mut map = self.load()?;
        if map.remove(name).is_some() {
            self.save(&map)?;
        }
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &tempfile::TempDir, pass: &str) -> FileStore {
        FileStore { path: dir.path().join("s.enc"), passphrase: pass.into() }
    }

    #[test]
    fn values_round_trip_and_the_file_holds_no_plain_text() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(&dir, "correct horse battery staple");
        s.set("TOKEN", "hunter2-very-secret").unwrap();
        assert_eq!(s.get("TOKEN").unwrap().as_deref(), Some("hunter2-very-secret"));
        let raw = std::fs::read_to_string(dir.path().join("s.enc")).unwrap();
        assert!(!raw.contains("hunter2") && !raw.contains("TOKEN"), "encrypted at rest: {raw}");
        s.delete("TOKEN").unwrap();
        assert_eq!(s.get("TOKEN").unwrap(), None);
    }

    #[test]
    fn a_wrong_passphrase_is_told_not_ignored() {
        let dir = tempfile::tempdir().unwrap();
        store(&dir, "correct horse battery staple").set("A", "b").unwrap();
        let err = store(&dir, "wrong horse battery staple").get("A").unwrap_err();
        assert!(err.to_string().contains("is not the passphrase"), "{err}");
    }
}
