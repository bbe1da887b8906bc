//! Secret masking: every secret a run can see is replaced by `******` in its log before a line is
//! stored or sent, together with the forms a script is likely to print it in: each line of a
//! multi-line value, its base64 (standard and URL-safe, padded or not) and its URL-encoded form.
//!
//! Derived forms shorter than [`MIN_DERIVED`] characters are not masked (they would blank out
//! ordinary words); the value itself is always masked. Occurrences that overlap are masked as
//! one stretch, so none leaves a character behind. fuzz/fuzz_targets/masker.rs checks all this
//! against a plain re-implementation.

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
    /// The longest text hidden, in bytes.
    longest: usize,
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
        let longest = patterns.iter().map(String::len).max().unwrap_or(0);
        let matcher = if patterns.is_empty() {
            None
        } else {
            // Every occurrence, overlapping ones too (see `spans`).
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .expect("literal patterns always compile"),
            )
        };
        Masker { matcher, longest }
    }

    /// A masker that hides nothing.
    pub fn none() -> Masker {
        Masker { matcher: None, longest: 0 }
    }

    /// The line with every secret replaced. Occurrences that overlap (two secrets sharing
    /// characters, a secret next to a part of itself) are hidden together under one mask, so no
    /// character of any of them is left.
    pub fn mask<'t>(&self, line: &'t str) -> Cow<'t, str> {
        let spans = self.spans(line);
        if spans.is_empty() {
            return Cow::Borrowed(line);
        }
        let mut out = String::with_capacity(line.len());
        let mut copied = 0;
        for (start, end) in spans {
            out.push_str(&line[copied..start]);
            out.push_str(MASK);
            copied = end;
        }
        out.push_str(&line[copied..]);
        Cow::Owned(out)
    }

    /// Whether `text` holds nothing to hide (then every line in it holds nothing either).
    pub(crate) fn hides_nothing_in(&self, text: &str) -> bool {
        self.matcher.as_ref().is_none_or(|m| !m.is_match(text))
    }

    /// The byte ranges of `line` that secrets cover, in order: overlapping occurrences joined,
    /// adjacent ones not.
    fn spans(&self, line: &str) -> Vec<(usize, usize)> {
        let Some(m) = &self.matcher else { return Vec::new() };
        if !m.is_match(line) {
            return Vec::new();
        }
        let mut hits: Vec<(usize, usize)> = m.find_overlapping_iter(line).map(|h| (h.start(), h.end())).collect();
        hits.sort_unstable();
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(hits.len());
        for (start, end) in hits {
            match spans.last_mut() {
                Some(last) if start < last.1 => last.1 = last.1.max(end),
                _ => spans.push((start, end)),
            }
        }
        spans
    }

    /// How much of `text`, a piece of a line that goes on in the next piece, can be masked now:
    /// all but the end that could be the start of a secret the next piece completes, and never
    /// part of a secret found whole.
    pub(crate) fn safe_end(&self, text: &str) -> usize {
        if self.matcher.is_none() {
            return text.len();
        }
        let mut at = text.len().saturating_sub(self.longest.saturating_sub(1));
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        match self.spans(text).into_iter().find(|(s, e)| *s < at && at < *e) {
            Some((start, _)) => start,
            None => at,
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
    fn secrets_that_overlap_are_hidden_whole() {
        // A leftmost-longest match hid the first and left the end of the second in the log (the
        // masker fuzz target checks every overlap).
        let m = Masker::new(["abcd1234", "1234wxyz"]);
        assert_eq!(m.mask("<abcd1234wxyz>"), "<******>", "no character of either secret is left");
        assert_eq!(Masker::new(["abcab"]).mask("abcabcab!"), "******!", "a secret overlapping itself");
        assert_eq!(Masker::new(["abcd"]).mask("abcdabcd"), "************", "adjacent ones stay two masks");
    }

    #[test]
    fn lines_without_secrets_are_not_copied() {
        let m = Masker::new(["abcdef"]);
        assert!(matches!(m.mask("nothing here"), Cow::Borrowed(_)));
        assert!(matches!(Masker::none().mask("abcdef"), Cow::Borrowed(_)));
    }
}
