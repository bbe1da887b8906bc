//! Passwords: hashed with Argon2id (the argon2 crate's default parameters, a random salt), in the
//! PHC string format, so that parameters can be raised later without breaking stored hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// The shortest password accepted.
pub const MIN_LEN: usize = 8;

/// Why a password is refused, in words.
pub fn check_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LEN {
        return Err(format!("the password is too short: use at least {MIN_LEN} characters"));
    }
    if password.trim() != password {
        return Err("the password starts or ends with a space or a line break; remove it".into());
    }
    Ok(())
}

/// The Argon2id hash of `password`, as a PHC string.
pub fn hash(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    super::random_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Whether `password` matches the stored `phc` hash (false for a damaged hash).
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash to verify against when the user does not exist, so that a wrong name costs as long as
/// a wrong password and does not tell which names exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not a password of anyone").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert_ne!(h, hash("correct horse").unwrap(), "a new salt each time");
        assert!(verify("correct horse", &h));
        assert!(!verify("correct horsE", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn short_or_padded_passwords_are_refused() {
        assert!(check_strength("short").unwrap_err().contains("at least 8"));
        assert!(check_strength("password \n").is_err());
        assert!(check_strength("long enough").is_ok());
    }
}
