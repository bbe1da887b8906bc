//! Reading what a forge sent: the event, the pushed ref and commit, whether the ref was deleted.
//! Only the fields used are read, so the providers' many other fields never break parsing.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::header;
use crate::model::Provider;

/// What a delivery is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// The forge checks the hook works.
    Ping,
    /// A branch or tag moved.
    Push(Push),
    /// Any other event (issues, merge requests...): answered, never run.
    Other(String),
}

/// A push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Push {
    /// `refs/heads/main`, `refs/tags/v1.0`.
    pub git_ref: String,
    /// The commit the ref now points at.
    pub sha: String,
    /// The ref was deleted.
    pub deleted: bool,
}

#[derive(Deserialize)]
struct Body {
    #[serde(rename = "ref")]
    git_ref: Option<String>,
    after: Option<String>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    object_kind: Option<String>,
}

/// The event name the provider's headers announce.
pub(crate) fn event_name(provider: Provider, headers: &[(String, String)]) -> Option<String> {
    let name = match provider {
        Provider::Github | Provider::Generic => "x-github-event",
        Provider::Gitlab => "x-gitlab-event",
        Provider::Gitea => "x-gitea-event",
    };
    header(headers, name).map(str::to_string)
}

/// The delivery id the provider's headers carry.
pub(crate) fn delivery_id(provider: Provider, headers: &[(String, String)]) -> Option<String> {
    let names: &[&str] = match provider {
        Provider::Github => &["x-github-delivery"],
        Provider::Generic => &["x-github-delivery", "x-delivery-id"],
        Provider::Gitlab => &["x-gitlab-event-uuid"],
        Provider::Gitea => &["x-gitea-delivery"],
    };
    names.iter().find_map(|n| header(headers, n)).map(|v| v.trim().chars().take(200).collect())
}

/// Classifies the delivery and, for pushes, reads the ref and the commit.
pub(crate) fn parse(provider: Provider, headers: &[(String, String)], body: &[u8]) -> Result<Event, String> {
    let event = event_name(provider, headers);
    let kind = match (provider, event.as_deref()) {
        (Provider::Github | Provider::Generic | Provider::Gitea, Some("ping")) => return Ok(Event::Ping),
        (Provider::Github | Provider::Gitea, Some("push")) | (Provider::Generic, Some("push") | None) => "push",
        (Provider::Gitlab, Some("Push Hook" | "Tag Push Hook" | "System Hook")) => "push",
        (_, Some(other)) => return Ok(Event::Other(other.to_string())),
        (_, None) => {
            return Err(format!(
                "the event header ({}) is missing",
                match provider {
                    Provider::Gitlab => "X-Gitlab-Event",
                    Provider::Gitea => "X-Gitea-Event",
                    _ => "X-GitHub-Event",
                }
            ))
        }
    };
    debug_assert_eq!(kind, "push");
    let json = json_of(headers, body)?;
    let parsed: Body =
        serde_json::from_slice(&json).map_err(|e| format!("the body is not the JSON of a push event: {e}"))?;
    if provider == Provider::Gitlab {
        if let Some(k) = parsed.object_kind.as_deref().filter(|k| !matches!(*k, "push" | "tag_push")) {
            return Ok(Event::Other(k.to_string()));
        }
    }
    let git_ref =
        parsed.git_ref.filter(|r| r.starts_with("refs/")).ok_or("the push has no `ref` such as refs/heads/main")?;
    let sha = parsed.after.ok_or("the push has no `after` commit")?;
    if !(sha.len() == 40 || sha.len() == 64) || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("`after` is not a commit SHA: `{}`", sha.chars().take(80).collect::<String>()));
    }
    let deleted = parsed.deleted || sha.chars().all(|c| c == '0');
    Ok(Event::Push(Push { git_ref, sha: sha.to_ascii_lowercase(), deleted }))
}

/// The JSON document: the body, or the `payload` field of a form-encoded body (GitHub's
/// "application/x-www-form-urlencoded" content type).
/// The parameters a delivery to a template without a repository gives: the body's `params`
/// object (text, numbers and true/false), none for an empty body or one without it.
pub(crate) fn params_of(body: &[u8]) -> Result<BTreeMap<String, String>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(BTreeMap::new());
    }
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
    let Some(params) = value.get("params") else { return Ok(BTreeMap::new()) };
    let Some(map) = params.as_object() else { return Err("`params` is an object of NAME: value".into()) };
    map.iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k.clone(), s.clone())),
            serde_json::Value::Number(n) => Ok((k.clone(), n.to_string())),
            serde_json::Value::Bool(b) => Ok((k.clone(), b.to_string())),
            _ => Err(format!("`params.{k}` must be text, a number or true/false")),
        })
        .collect()
}

fn json_of(headers: &[(String, String)], body: &[u8]) -> Result<Vec<u8>, String> {
    let form = header(headers, "content-type").is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    // Tools such as `curl -d` label a JSON body as a form: a body that opens like JSON is JSON.
    let looks_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !form || looks_json {
        return Ok(body.to_vec());
    }
    let text = std::str::from_utf8(body).map_err(|_| "the form body is not UTF-8".to_string())?;
    let value =
        text.split('&').find_map(|pair| pair.strip_prefix("payload=")).ok_or("the form body has no `payload` field")?;
    percent_decode(value)
}

fn percent_decode(text: &str) -> Result<Vec<u8>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or("a `%` escape is cut short")?;
                let s = std::str::from_utf8(hex).map_err(|_| "bad `%` escape")?;
                out.push(u8::from_str_radix(s, 16).map_err(|_| format!("bad `%` escape `%{s}`"))?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const SHA: &str = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

    #[test]
    fn github_push_ping_and_deleted_branches_are_told_apart() {
        let push = format!(
            r#"{{"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000","after":"{SHA}","deleted":false}}"#
        );
        let e = parse(Provider::Github, &h(&[("x-github-event", "push")]), push.as_bytes()).unwrap();
        assert_eq!(e, Event::Push(Push { git_ref: "refs/heads/main".into(), sha: SHA.into(), deleted: false }));
        let del = r#"{"ref":"refs/heads/gone","after":"0000000000000000000000000000000000000000","deleted":true}"#;
        let Event::Push(p) = parse(Provider::Github, &h(&[("x-github-event", "push")]), del.as_bytes()).unwrap() else {
            panic!()
        };
        assert!(p.deleted);
        assert_eq!(parse(Provider::Github, &h(&[("x-github-event", "ping")]), b"{}").unwrap(), Event::Ping);
        assert_eq!(
            parse(Provider::Github, &h(&[("x-github-event", "issues")]), b"{}").unwrap(),
            Event::Other("issues".into())
        );
    }

    #[test]
    fn form_encoded_github_payloads_are_read() {
        let body = format!("payload=%7B%22ref%22%3A%22refs%2Fheads%2Fmain%22%2C%22after%22%3A%22{SHA}%22%7D");
        let headers = h(&[("x-github-event", "push"), ("content-type", "application/x-www-form-urlencoded")]);
        assert!(matches!(parse(Provider::Github, &headers, body.as_bytes()).unwrap(), Event::Push(_)));
    }

    #[test]
    fn a_json_body_labelled_as_a_form_is_read_as_json() {
        let body = format!(r#"{{"ref":"refs/heads/main","after":"{SHA}"}}"#);
        let headers = h(&[("x-github-event", "push"), ("content-type", "application/x-www-form-urlencoded")]);
        assert!(matches!(parse(Provider::Github, &headers, body.as_bytes()).unwrap(), Event::Push(_)));
    }

    #[test]
    fn gitlab_tag_push_with_a_null_checkout_sha_is_a_deletion() {
        let body = r#"{"object_kind":"tag_push","ref":"refs/tags/v1","before":"a","after":"0000000000000000000000000000000000000000","checkout_sha":null}"#;
        let Event::Push(p) =
            parse(Provider::Gitlab, &h(&[("x-gitlab-event", "Tag Push Hook")]), body.as_bytes()).unwrap()
        else {
            panic!()
        };
        assert!(p.deleted);
    }

    #[test]
    fn a_sourceless_delivery_gives_its_params_or_says_what_is_wrong() {
        assert!(params_of(b"").unwrap().is_empty());
        let p = params_of(br#"{"params": {"TAG": "v2", "N": 3, "GO": true}, "other": 1}"#).unwrap();
        assert_eq!((p["TAG"].as_str(), p["N"].as_str(), p["GO"].as_str()), ("v2", "3", "true"));
        assert!(params_of(b"not json").unwrap_err().contains("not JSON"));
        assert!(params_of(br#"{"params": {"X": [1]}}"#).unwrap_err().contains("params.X"));
    }

    #[test]
    fn malformed_bodies_say_what_is_wrong() {
        let headers = h(&[("x-github-event", "push")]);
        assert!(parse(Provider::Github, &headers, b"{\"ref\": \"refs/heads/ma").unwrap_err().contains("not the JSON"));
        assert!(parse(Provider::Github, &headers, b"{\"ref\":\"refs/heads/x\"}").unwrap_err().contains("after"));
        assert!(parse(Provider::Github, &headers, b"\xff\xfe garbage").is_err());
    }
}
