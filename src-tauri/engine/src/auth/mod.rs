//! Who may do what over the HTTP door: users with roles, passwords (Argon2id), sign-in sessions
//! (a short-lived signed access token and a rotating refresh token whose reuse revokes its
//! family), API tokens with scopes, and the [`Caller`] every API operation receives. The desktop
//! window and the CLI act as the OS user who owns the data directory and need no sign-in.

mod caller;
pub mod jwt;
pub mod password;

pub use caller::Caller;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// Fills `buf` from the OS's random source.
pub(crate) fn random_bytes(buf: &mut [u8]) {
    use chacha20poly1305::aead::rand_core::RngCore;
    chacha20poly1305::aead::OsRng.fill_bytes(buf);
}

/// A new opaque token with `prefix`: 32 random bytes, base64url.
pub(crate) fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    random_bytes(&mut bytes);
    format!("{prefix}{}", B64.encode(bytes))
}

/// The stored form of an opaque token: its SHA-256, hex. (Tokens carry 256 random bits; a slow
/// hash adds nothing, and the hash must be looked up.)
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_prefixed_and_stored_as_hashes() {
        let (a, b) = (new_secret("scicd_"), new_secret("scicd_"));
        assert!(a.starts_with("scicd_") && a.len() == 6 + 43, "{a}");
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
