//! Secret masking: every secret a run can see is replaced by `******` in its log before a line is
//! stored or sent, together with the forms a script is likely to print it in: each line of a
//! multi-line value, its base64 (standard and URL-safe, padded or not) and its URL-encoded form.
//!
//! Derived forms shorter than [`MIN_DERIVED`] characters are not masked (they would blank out
//! ordinary words); the value itself is always masked.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, MatchKind};
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;

/// What replaces a secret.
pub const MASK: &str = "******";
const MIN_DERIVED: usize = 4;

/// A compiled set of secrets to hide.
#[derive(Debug, Clone)]
pub struct Masker {
    matcher: Option<AhoCorasick>,
}

fn url_encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Masker {
    /// A masker hiding `secrets`.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Masker {
        let mut patterns: Vec<String> = Vec::new();
        for value in secrets {
            if value.is_empty() {
                continue;
            }
            patterns.push(value.to_string());
            let mut derived: Vec<String> = value.lines().map(|l| l.trim().to_string()).collect();
            for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
                derived.push(engine.encode(value));
            }
            derived.push(url_encode(value));
            derived.push(url_encode(value).replace("%20", "+"));
            patterns.extend(derived.into_iter().filter(|d| d.chars().count() >= MIN_DERIVED));
        }
        patterns.sort();
        patterns.dedup();
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .expect("literal patterns always compile"),
            )
        };
        Masker { matcher }
    }

    /// A masker that hides nothing.
    pub fn none() -> Masker {
        Masker { matcher: None }
    }

    /// The line with every secret replaced.
    pub fn mask<'t>(&self, line: &'t str) -> Cow<'t, str> {
        match &self.matcher {
            Some(m) if m.is_match(line) => Cow::Owned(m.replace_all(line, &vec![MASK; m.patterns_len()])),
            _ => Cow::Borrowed(line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_hidden_mid_line_and_every_time_it_appears() {
        let m = Masker::new(["s3cr3t-T0ken"]);
        assert_eq!(m.mask("token=s3cr3t-T0ken; again s3cr3t-T0kens3cr3t-T0ken!"), "token=******; again ************!");
    }

    #[test]
    fn each_line_of_a_multi_line_secret_is_hidden() {
        let key = "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END KEY-----";
        let m = Masker::new([key]);
        assert_eq!(m.mask("  MIIBOgIBAAJBAKj34GkxFhD9  "), "  ******  ");
        assert_eq!(m.mask("-----END KEY-----"), "******");
    }

    #[test]
    fn base64_and_url_encoded_forms_are_hidden() {
        let secret = "p@ss word/+?";
        let m = Masker::new([secret]);
        let b64 = STANDARD.encode(secret);
        assert_eq!(m.mask(&format!("Authorization: Basic {b64}")), "Authorization: Basic ******");
        assert_eq!(m.mask(&format!("x={}", URL_SAFE_NO_PAD.encode(secret))), "x=******");
        assert_eq!(m.mask("https://h/?p=p%40ss%20word%2F%2B%3F&q=1"), "https://h/?p=******&q=1");
    }

    #[test]
    fn lines_without_secrets_are_not_copied() {
        let m = Masker::new(["abcdef"]);
        assert!(matches!(m.mask("nothing here"), Cow::Borrowed(_)));
        assert!(matches!(Masker::none().mask("abcdef"), Cow::Borrowed(_)));
    }
}
