//! The doors of the fuzz targets (`fuzz/` at the repository root) into parsers that take outside
//! input but are private to the engine: webhook verification and payloads, Helm values, Docker
//! endpoint URLs, the log's line splitting and secret masking. Each is a thin wrapper that calls
//! exactly what the engine calls, so a finding here is a finding in the engine.
//!
//! Not an API: nothing outside `fuzz/` uses it, and it keeps no state. The parsers that are
//! already public (template YAML, plans, cron, git URLs, image references, `${…}` expansion) are
//! fuzzed through their own paths.

use std::collections::BTreeMap;

use crate::log::{LineSplitter, RawLine, Uncut};
use crate::model::{EndpointKind, LogStream, Provider};
use crate::trigger::webhook::{payload, verify};

pub use crate::log::mask::{Masker, MASK};

/// What a webhook delivery is about, as the engine reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookEvent {
    /// The forge checks the hook works.
    Ping,
    /// A branch or tag moved: its ref, the commit, whether the ref was deleted.
    Push {
        /// `refs/heads/main`, `refs/tags/v1.0`.
        git_ref: String,
        /// The commit the ref now points at.
        sha: String,
        /// The ref was deleted.
        deleted: bool,
    },
    /// Any other event.
    Other(String),
}

/// Checks a delivery's signature or token against `secret`, as `webhook_receive` does.
pub fn webhook_verify(
    provider: Provider,
    headers: &[(String, String)],
    body: &[u8],
    secret: &str,
) -> Result<(), String> {
    verify::verify(provider, headers, body, secret)
}

/// Reads a verified delivery's event, as `webhook_receive` does.
pub fn webhook_event(provider: Provider, headers: &[(String, String)], body: &[u8]) -> Result<WebhookEvent, String> {
    payload::parse(provider, headers, body).map(|e| match e {
        payload::Event::Ping => WebhookEvent::Ping,
        payload::Event::Push(p) => WebhookEvent::Push { git_ref: p.git_ref, sha: p.sha, deleted: p.deleted },
        payload::Event::Other(name) => WebhookEvent::Other(name),
    })
}

/// The delivery id and event name the headers announce (what the delivery is recorded under).
pub fn webhook_ids(provider: Provider, headers: &[(String, String)]) -> (Option<String>, Option<String>) {
    (payload::delivery_id(provider, headers), payload::event_name(provider, headers))
}

/// The parameters a delivery to a template without a repository gives.
pub fn webhook_params(body: &[u8]) -> Result<BTreeMap<String, String>, String> {
    payload::params_of(body)
}

/// The problem of a Helm `values` text, if any.
pub fn helm_values(text: &str) -> Option<String> {
    crate::template::check_values(text)
}

/// A Docker endpoint URL checked and normalised, with its kind.
pub fn endpoint_url(url: &str, tls: bool) -> Result<(String, EndpointKind), String> {
    crate::docker::parse_url(url, tls)
}

/// The lines a process's output makes when it arrives in `chunks`, as the run's log stores them:
/// split, cut when too long, masked (a cut line's pieces masked together). Each with whether it
/// goes on in the next (the reader cut it).
pub fn log_lines<'a>(masker: &Masker, chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<(String, bool)> {
    let mut splitter = LineSplitter::new(LogStream::Stdout);
    let mut uncut = Uncut::new(masker.clone());
    let mut raw: Vec<RawLine> = chunks.into_iter().flat_map(|c| splitter.push(c)).collect();
    raw.extend(splitter.finish());
    let mut lines: Vec<(String, bool)> =
        raw.into_iter().filter_map(|l| uncut.take(l)).map(|l| (l.text, l.cut)).collect();
    lines.extend(uncut.finish().into_iter().map(|l| (l.text, l.cut)));
    lines
}
