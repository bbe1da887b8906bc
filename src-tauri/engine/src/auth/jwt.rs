//! Access tokens: JSON Web Tokens signed with HMAC-SHA256 by a key of this installation (kept in
//! the secret store). Only the one header this module writes is accepted: a token whose header
//! names another algorithm (`none`, `RS256`, ...) is refused before its signature is looked at.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;

/// What an access token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: i64,
    /// The sign-in session (refresh family) it belongs to.
    pub sid: String,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
}

/// Why a token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts, or not JSON.
    #[error("the token is malformed")]
    Malformed,
    /// A header this server does not write (`alg: none` among others).
    #[error("the token's algorithm is not accepted")]
    Algorithm,
    /// The signature does not match: forged, altered, or signed by another key.
    #[error("the token's signature is not valid")]
    Signature,
    /// Past its expiry.
    #[error("the token has expired; sign in again or refresh it")]
    Expired,
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length")
}

/// Signs `claims` with `key`.
pub fn sign(claims: &Claims, key: &[u8]) -> String {
    let body = serde_json::to_vec(claims).expect("claims serialise");
    let signing_input = format!("{}.{}", B64.encode(HEADER), B64.encode(body));
    let mut m = mac(key);
    m.update(signing_input.as_bytes());
    format!("{signing_input}.{}", B64.encode(m.finalize().into_bytes()))
}

/// The claims of `token` when its header is ours, its signature is `key`'s and it has not
/// expired at `now` (seconds).
pub fn verify(token: &str, key: &[u8], now: i64) -> Result<Claims, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(b), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed);
    };
    let header = B64.decode(h).map_err(|_| JwtError::Malformed)?;
    let header: serde_json::Value = serde_json::from_slice(&header).map_err(|_| JwtError::Malformed)?;
    let ours: serde_json::Value = serde_json::from_str(HEADER).expect("our header is JSON");
    if header != ours {
        return Err(JwtError::Algorithm);
    }
    let signature = B64.decode(s).map_err(|_| JwtError::Malformed)?;
    let mut m = mac(key);
    m.update(format!("{h}.{b}").as_bytes());
    m.verify_slice(&signature).map_err(|_| JwtError::Signature)?;
    let body = B64.decode(b).map_err(|_| JwtError::Malformed)?;
    let claims: Claims = serde_json::from_slice(&body).map_err(|_| JwtError::Malformed)?;
    if claims.exp <= now {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims { sub: 7, sid: "f".into(), iat: 100, exp }
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let t = sign(&claims(200), b"key");
        assert_eq!(verify(&t, b"key", 150).unwrap().sub, 7);
        assert_eq!(verify(&t, b"key", 200), Err(JwtError::Expired));
    }

    #[test]
    fn a_token_of_another_key_or_altered_is_refused() {
        let t = sign(&claims(200), b"key");
        assert_eq!(verify(&t, b"other", 150), Err(JwtError::Signature));
        let (head, rest) = t.split_once('.').unwrap();
        let (_, sig) = rest.split_once('.').unwrap();
        let forged = format!("{head}.{}.{sig}", B64.encode(r#"{"sub":1,"sid":"f","iat":100,"exp":200}"#));
        assert_eq!(verify(&forged, b"key", 150), Err(JwtError::Signature));
        assert_eq!(verify("a.b", b"key", 150), Err(JwtError::Malformed));
    }

    #[test]
    fn alg_none_is_refused_before_the_signature() {
        let body = B64.encode(serde_json::to_vec(&claims(200)).unwrap());
        let none = format!("{}.{body}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#));
        assert_eq!(verify(&none, b"key", 150), Err(JwtError::Algorithm));
        let rs = format!("{}.{body}.c2ln", B64.encode(r#"{"alg":"RS256","typ":"JWT"}"#));
        assert_eq!(verify(&rs, b"key", 150), Err(JwtError::Algorithm));
    }
}
