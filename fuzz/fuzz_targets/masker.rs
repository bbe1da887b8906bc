//! The log masker: every secret a run can see is hidden in its log, with the forms the masker's
//! documentation claims to cover (engine/src/log/mask.rs): the value, each line of a multi-line
//! value (trimmed), its base64 (standard and URL-safe, padded or not) and its URL-encoded form
//! (`%20` or `+` for a space); derived forms shorter than 4 characters are not claimed.
//!
//! Properties, for any secrets and any output around them, however the output arrives in chunks,
//! through the log's real path (line splitting, the cut of lines over 64 KiB, masking): a masked
//! line is the line with every stretch covered by an occurrence of a claimed form (occurrences
//! that overlap make one stretch) replaced by the mask, computed here the plain way; so no
//! character of a covered occurrence survives, whatever other secrets overlap it, and a secret
//! printed across the 64 KiB cut of a long line is hidden too (`long`: the form is printed there).
#![no_main]

use arbitrary::Arbitrary;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::fuzzing::{log_lines, Masker, MASK};

#[derive(Debug, Arbitrary)]
struct Input {
    secrets: Vec<String>,
    /// Which secret is printed, and in which form.
    printed: u8,
    form: u8,
    before: String,
    after: String,
    /// Where the output is cut into the chunks a pipe delivers.
    cuts: Vec<u16>,
    /// Print the form across the reader's 64 KiB cut of a long line, this far before it.
    long: Option<u8>,
}

/// The reader's limit (engine/src/log/reader.rs, MAX_LINE).
const MAX_LINE: usize = 64 * 1024;

/// Runs of masks as one: where a line was cut, one stretch may be masked on both sides.
fn joined_masks(text: &str) -> String {
    let mut out = text.to_string();
    let two = MASK.repeat(2);
    while out.contains(&two) {
        out = out.replace(&two, MASK);
    }
    out
}

fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The forms of `value` the masker claims to hide.
fn forms(value: &str) -> Vec<String> {
    let mut derived: Vec<String> = value.lines().map(|l| l.trim().to_string()).collect();
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        derived.push(engine.encode(value));
    }
    derived.push(url_encode(value));
    derived.push(url_encode(value).replace("%20", "+"));
    let mut all = vec![value.to_string()];
    all.extend(derived.into_iter().filter(|d| d.chars().count() >= 4));
    all
}

/// `line` with every stretch covered by occurrences of `patterns` replaced by the mask.
fn expected(line: &str, patterns: &[String]) -> String {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for p in patterns.iter().filter(|p| !p.is_empty()) {
        let mut from = 0;
        while let Some(at) = line[from..].find(p.as_str()) {
            spans.push((from + at, from + at + p.len()));
            from += at + line[from + at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    spans.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for (s, e) in merged {
        out.push_str(&line[at..s]);
        out.push_str(MASK);
        at = e;
    }
    out.push_str(&line[at..]);
    out
}

fuzz_target!(|input: Input| {
    let secrets: Vec<&str> = input.secrets.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
    let masker = Masker::new(secrets.iter().copied());
    let patterns: Vec<String> = secrets.iter().flat_map(|s| forms(s)).collect();

    // The output: something, a form of a secret, something; a pipe delivers it in pieces.
    let mut output = input.before.clone();
    if let Some(n) = input.long {
        output = format!("{}{output}", "x".repeat(MAX_LINE - 1 - n as usize % 64));
    }
    if let Some(secret) = secrets.get(input.printed as usize % secrets.len().max(1)) {
        let f = forms(secret);
        output.push_str(&f[input.form as usize % f.len()]);
    }
    output.push_str(&input.after);
    let bytes = output.as_bytes();
    let mut chunks = Vec::new();
    let mut at = 0;
    for cut in &input.cuts {
        let end = (at + *cut as usize).min(bytes.len());
        chunks.push(&bytes[at..end]);
        at = end;
    }
    chunks.push(&bytes[at..]);

    // The lines as written (the reader drops the \n that ends a line and a \r before it), each
    // masked the plain way.
    let wanted: Vec<String> = output
        .split_inclusive('\n')
        .map(|l| l.strip_suffix('\n').unwrap_or(l))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .map(|l| expected(l, &patterns))
        .collect();
    // What the log stores, with the pieces of a cut line put back together.
    let mut got: Vec<String> = Vec::new();
    let mut goes_on = false;
    for (text, cut) in log_lines(&masker, chunks) {
        match got.last_mut() {
            Some(last) if goes_on => last.push_str(&text),
            _ => got.push(text),
        }
        goes_on = cut;
    }
    if got.len() == wanted.len() && got.iter().all(|l| l.len() < MAX_LINE) {
        assert_eq!(got, wanted, "the masked lines, secrets {secrets:?}");
    } else {
        let got: Vec<String> = got.iter().map(|l| joined_masks(l)).collect();
        let wanted: Vec<String> = wanted.iter().map(|l| joined_masks(l)).collect();
        assert_eq!(got, wanted, "the masked lines of a long output, secrets {secrets:?}");
    }
});
