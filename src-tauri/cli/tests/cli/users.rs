//! `scicd user`, `scicd token`, `scicd audit`, and `scicd serve` refusing to listen beyond
//! loopback before the first user exists.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::support::*;

/// `scicd ARGS` with `input` on standard input (a password, as when piped).
fn with_stdin(s: &Scicd, args: &[&str], input: &str) -> Output {
    let mut child = s
        .cmd()
        .args(args)
        .env("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn serve_refuses_other_hosts_until_the_first_user_exists() {
    let s = Scicd::new();
    let out = s.run(&["serve", "--listen", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("scicd user add NAME --role admin"), "{}", stderr(&out));
}

#[test]
fn users_and_tokens_are_managed_and_audited_from_the_command_line() {
    let s = Scicd::new();
    let out = with_stdin(&s, &["config", "set", "secrets.backend", "file"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_stdin(&s, &["user", "add", "ana", "--role", "admin"], "short\n");
    assert_eq!(out.status.code(), Some(2), "a short password is refused: {}", stderr(&out));
    assert!(stderr(&out).contains("at least 8"), "{}", stderr(&out));
    let out = with_stdin(&s, &["user", "add", "ana", "--role", "admin"], "a long password\n");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = with_stdin(&s, &["user", "add", "bob", "--role", "root"], "a long password\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("viewer, operator, maintainer or admin"), "{}", stderr(&out));

    let out =
        with_stdin(&s, &["token", "create", "bot", "--user", "ana", "--scopes", "read,run", "--expires", "30d"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).trim().to_string();
    assert!(token.starts_with("scicd_"), "the token alone on stdout: {token}");
    let out = with_stdin(&s, &["token", "list", "--json"], "");
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(list[0]["name"], "bot");
    assert!(!stdout(&out).contains(&token), "the value is never listed");

    let out = with_stdin(&s, &["user", "rm", "ana"], "");
    assert_eq!(out.status.code(), Some(2), "the last admin stays: {}", stderr(&out));
    let out = with_stdin(&s, &["audit", "--json"], "");
    let audit: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(
        actions.contains(&"user.add") && actions.contains(&"token.create") && actions.contains(&"user.remove"),
        "{actions:?}"
    );
    assert!(audit.as_array().unwrap().iter().all(|e| e["actor"].as_str().unwrap().starts_with("cli (")), "{audit}");
}
