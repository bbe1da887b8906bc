//! Webhook authentication per provider, always in constant time:
//!
//! | provider | header | value |
//! |---|---|---|
//! | github, generic | `X-Hub-Signature-256` | `sha256=` + hex HMAC-SHA256 of the raw body |
//! | gitlab | `X-Gitlab-Token` | the secret itself |
//! | gitea | `X-Gitea-Signature` | hex HMAC-SHA256 of the raw body |

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::header;
use crate::model::Provider;

type HmacSha256 = Hmac<Sha256>;

/// Checks the delivery's signature or token against `secret`. The error says what is wrong
/// without revealing anything about the secret.
pub(crate) fn verify(
    provider: Provider,
    headers: &[(String, String)],
    body: &[u8],
    secret: &str,
) -> Result<(), String> {
    match provider {
        Provider::Github | Provider::Generic => {
            let name = "x-hub-signature-256";
            let value = header(headers, name).ok_or_else(|| missing("X-Hub-Signature-256", provider))?;
            let hex_sig = value
                .trim()
                .strip_prefix("sha256=")
                .ok_or_else(|| "the X-Hub-Signature-256 header does not start with `sha256=`".to_string())?;
            check_hmac(secret, body, hex_sig, provider)
        }
        Provider::Gitea => {
            let value = header(headers, "x-gitea-signature").ok_or_else(|| missing("X-Gitea-Signature", provider))?;
            check_hmac(secret, body, value.trim(), provider)
        }
        Provider::Gitlab => {
            let value = header(headers, "x-gitlab-token").ok_or_else(|| missing("X-Gitlab-Token", provider))?;
            // Comparing digests keeps the time independent of where the values differ and of their length.
            let given = Sha256::digest(value.as_bytes());
            let expected = Sha256::digest(secret.as_bytes());
            if bool::from(given.ct_eq(&expected)) {
                Ok(())
            } else {
                Err(wrong(provider))
            }
        }
    }
}

fn check_hmac(secret: &str, body: &[u8], hex_sig: &str, provider: Provider) -> Result<(), String> {
    let Ok(given) = hex::decode(hex_sig) else {
        return Err("the signature is not hexadecimal".to_string());
    };
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_slice(&given).map_err(|_| wrong(provider))
}

fn missing(header: &str, provider: Provider) -> String {
    format!("the {header} header is missing: set the webhook's secret in {} to the trigger's secret", forge(provider))
}

fn wrong(provider: Provider) -> String {
    format!("the signature does not match: the secret set in {} differs from the trigger's secret", forge(provider))
}

fn forge(provider: Provider) -> &'static str {
    match provider {
        Provider::Github => "GitHub",
        Provider::Gitlab => "GitLab",
        Provider::Gitea => "Gitea",
        Provider::Generic => "the sender",
    }
}

/// The signature header value a sender computes (for tests and the benchmark's client).
pub fn sign_hub(secret: &str, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: &str, value: &str) -> Vec<(String, String)> {
        vec![(name.to_string(), value.to_string())]
    }

    #[test]
    fn github_signature_is_checked_over_the_raw_body() {
        // The example of GitHub's documentation ("Validating webhook deliveries").
        let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assert_eq!(sign_hub("It's a Secret to Everybody", b"Hello, World!"), sig);
        let ok =
            verify(Provider::Github, &h("x-hub-signature-256", sig), b"Hello, World!", "It's a Secret to Everybody");
        assert!(ok.is_ok());
        let bad =
            verify(Provider::Github, &h("x-hub-signature-256", sig), b"Hello, World?", "It's a Secret to Everybody");
        assert!(bad.unwrap_err().contains("does not match"));
        assert!(verify(Provider::Github, &[], b"x", "s").unwrap_err().contains("missing"));
    }

    #[test]
    fn gitea_signature_is_plain_hex_and_gitlab_sends_the_token() {
        let sig = sign_hub("s3", b"{}");
        let plain = sig.trim_start_matches("sha256=");
        assert!(verify(Provider::Gitea, &h("x-gitea-signature", plain), b"{}", "s3").is_ok());
        assert!(verify(Provider::Gitea, &h("x-gitea-signature", &sig), b"{}", "s3").is_err());
        assert!(verify(Provider::Gitlab, &h("x-gitlab-token", "s3"), b"{}", "s3").is_ok());
        assert!(verify(Provider::Gitlab, &h("x-gitlab-token", "s4"), b"{}", "s3").is_err());
    }
}
