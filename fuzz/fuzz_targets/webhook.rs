//! Webhook deliveries per provider (github, gitlab, gitea, generic): the signature or token
//! check, the delivery id and event headers, the payload, a sourceless delivery's parameters.
//!
//! Properties: never a panic; a delivery signed with the secret is accepted and the same one with
//! its body changed, or checked against another secret, is refused; whatever is accepted carries
//! the right signature; a push read from a payload has a `refs/` ref and a lowercase 40- or
//! 64-digit hex commit; a delivery id is at most 200 characters.
//!
//! Input: the first byte picks the provider; then, as in HTTP, header lines (`Name: value`, the
//! first line is the trigger's secret instead), an empty line and the body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use simple_cicd_engine::fuzzing::{webhook_event, webhook_ids, webhook_params, webhook_verify, WebhookEvent};
use simple_cicd_engine::model::Provider;
use simple_cicd_engine::trigger::sign_hub;

struct Delivery {
    provider: Provider,
    headers: Vec<(String, String)>,
    secret: String,
    body: Vec<u8>,
}

fn delivery(data: &[u8]) -> Option<Delivery> {
    let (&pick, rest) = data.split_first()?;
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let head = String::from_utf8_lossy(&rest[..split]).into_owned();
    let body = rest.get(split + 2..).unwrap_or_default().to_vec();
    let mut lines = head.split('\n');
    let secret = lines.next().unwrap_or_default().to_string();
    let headers = lines
        .map(|l| match l.split_once(':') {
            Some((k, v)) => (k.to_string(), v.trim_start().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect();
    Some(Delivery { provider: Provider::ALL[pick as usize % Provider::ALL.len()], headers, secret, body })
}

/// The header a correctly configured forge sends.
fn signed(provider: Provider, secret: &str, body: &[u8]) -> (String, String) {
    let hub = sign_hub(secret, body);
    match provider {
        Provider::Github | Provider::Generic => ("X-Hub-Signature-256".into(), hub),
        Provider::Gitea => ("X-Gitea-Signature".into(), hub.trim_start_matches("sha256=").to_string()),
        Provider::Gitlab => ("X-Gitlab-Token".into(), secret.to_string()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(d) = delivery(data) else { return };
    let provider = d.provider;
    let (id, _event) = webhook_ids(provider, &d.headers);
    assert!(id.is_none_or(|id| id.chars().count() <= 200), "a delivery id is cut to 200 characters");

    // What the fuzzer sent, as it is.
    if webhook_verify(provider, &d.headers, &d.body, &d.secret).is_ok() {
        let (name, good) = signed(provider, &d.secret, &d.body);
        let sent = d.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(&name)).map(|(_, v)| v.trim());
        let sent = sent.expect("an accepted delivery has its signature header");
        assert!(sent.eq_ignore_ascii_case(&good) || provider == Provider::Gitlab, "accepted without the signature");
    }

    // The same delivery, signed as the forge would sign it.
    let mut headers: Vec<(String, String)> =
        d.headers.iter().filter(|(k, _)| !k.to_ascii_lowercase().starts_with("x-")).cloned().collect();
    headers.push(signed(provider, &d.secret, &d.body));
    assert_eq!(
        webhook_verify(provider, &headers, &d.body, &d.secret),
        Ok(()),
        "a correctly signed delivery is refused"
    );
    let other = format!("{}x", d.secret);
    assert!(webhook_verify(provider, &headers, &d.body, &other).is_err(), "another secret verifies the delivery");
    if provider != Provider::Gitlab {
        let mut changed = d.body.clone();
        changed.push(b' ');
        assert!(webhook_verify(provider, &headers, &changed, &d.secret).is_err(), "a changed body verifies");
    }

    if let Ok(WebhookEvent::Push { git_ref, sha, .. }) = webhook_event(provider, &d.headers, &d.body) {
        assert!(git_ref.starts_with("refs/"), "a push's ref is a full ref: {git_ref}");
        assert!(matches!(sha.len(), 40 | 64), "a push's commit is a SHA: {sha}");
        assert!(sha.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)), "lowercase hex: {sha}");
    }
    let _ = webhook_params(&d.body);
});
