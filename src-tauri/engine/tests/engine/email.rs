//! E-mail about runs against real SMTP servers on loopback (aiosmtpd: plain, AUTH, STARTTLS and
//! TLS with a certificate the test makes). Whatever the server does, the run's outcome is the
//! script's; the e-mail's fate is recorded on the run.

use std::time::Duration;

use simple_cicd_engine::model::{EmailState, Run, RunStatus};
use simple_cicd_engine::notify::NotifyOptions;
use simple_cicd_engine::{api, secrets, settings, Engine};

use crate::smtp_sink::{closed_port, part, Mode, SmtpSink};
use crate::support::*;

fn quick_retries() -> NotifyOptions {
    NotifyOptions {
        email_retry_delays: vec![Duration::from_millis(100), Duration::from_millis(100)],
        ..Default::default()
    }
}

async fn smtp(engine: &Engine, port: u16, security: &str) {
    for (key, value) in [
        ("smtp.host", "127.0.0.1".to_string()),
        ("smtp.port", port.to_string()),
        ("smtp.security", security.to_string()),
        ("smtp.from", "simple-cicd <ci@example.com>".to_string()),
    ] {
        settings::config_set(engine, &me(), key, &value).await.unwrap();
    }
}

fn mailing(name: &str, script: &str) -> String {
    format!("kind: shell\nname: {name}\nscript: {script}\nnotify:\n  - when: [always]\n    email: [\"me@example.com\", \"team@example.com\"]\n")
}

async fn run_and_settle(engine: &Engine, name: &str) -> Run {
    let run = wait_end(engine, start(engine, name, &[]).await.id).await;
    engine.notifications_settled(Duration::from_secs(60)).await;
    api::run_get(engine, run.id).await.unwrap()
}

#[tokio::test]
async fn the_e_mail_of_a_run_arrives_with_its_subject_both_parts_and_masked_log_lines() {
    let sink = SmtpSink::start(Mode::Plain);
    let t = engine_with(quick_retries()).await;
    smtp(&t.engine, sink.port, "none").await;
    let token = "mail-token-5c2b9a";
    secrets::secret_set(&t.engine, &me(), "MAIL_TOKEN", token).await.expect("the secret store works");
    let yaml = "kind: shell\nname: mail\nparams:\n  - name: MAIL_TOKEN\n    type: secret\nscript: |\n  for i in $(seq 1 80); do echo \"line $i\"; done\n  echo \"token=$MAIL_TOKEN <b>&\"\n  exit 4\nnotify:\n  - when: [failed]\n    email: [\"me@example.com\", \"team@example.com\"]\n";
    apply(&t.engine, yaml).await;
    let run = run_and_settle(&t.engine, "mail").await;
    assert_eq!(run.status, RunStatus::Failed);
    let email = run.email.expect("the rule asked for an e-mail");
    assert_eq!(email.state, EmailState::Sent, "{email:?}");
    assert_eq!(email.message.as_deref(), Some("250 OK"), "the server's exact answer is kept");
    assert_eq!(email.recipients, ["me@example.com", "team@example.com"]);

    let messages = sink.wait_messages(1);
    let m = &messages[0];
    assert_eq!(m["subject"], "[simple-cicd] mail #1 failed");
    assert_eq!(m["to"], serde_json::json!(["me@example.com", "team@example.com"]));
    assert_eq!(m["contentType"], "multipart/alternative", "a plain-text and an HTML part");
    let text = part(m, "text/plain");
    let html = part(m, "text/html");
    for body in [text, html] {
        assert!(body.contains("exit code 4"), "the outcome: {body}");
        assert!(body.contains("manual"), "the trigger (the tests start runs as the desktop): {body}");
        assert!(!body.contains(token), "the secret never leaves in an e-mail: {body}");
        assert!(!body.contains("line 33\n"), "only the last 50 lines: {body}");
        assert!(body.contains("line 80"), "{body}");
    }
    assert!(text.contains("token=****** <b>&"), "the log lines as stored, masked: {text}");
    assert!(html.contains("token=****** &lt;b&gt;&amp;"), "escaped in HTML: {html}");
    assert!(text.contains("Duration:"), "{text}");
    secrets::secret_delete(&t.engine, &me(), "MAIL_TOKEN").await.unwrap();
}

#[tokio::test]
async fn smtp_auth_uses_the_password_from_the_keyring_and_wrong_credentials_only_mark_the_e_mail() {
    let sink = SmtpSink::start(Mode::Auth);
    let t = engine_with(quick_retries()).await;
    smtp(&t.engine, sink.port, "none").await;
    settings::config_set(&t.engine, &me(), "smtp.username", "ci-user").await.unwrap();
    settings::config_set(&t.engine, &me(), "smtp.password", "ci-pass").await.expect("the keyring works");
    apply(&t.engine, &mailing("authed", "'true'")).await;
    let run = run_and_settle(&t.engine, "authed").await;
    assert_eq!(run.email.as_ref().unwrap().state, EmailState::Sent, "{:?}", run.email);
    assert_eq!(sink.wait_messages(1)[0]["subject"], "[simple-cicd] authed #1 succeeded");

    settings::config_set(&t.engine, &me(), "smtp.password", "wrong-pass").await.unwrap();
    let run = run_and_settle(&t.engine, "authed").await;
    assert_eq!(run.status, RunStatus::Succeeded, "a refused e-mail does not fail the run");
    let email = run.email.unwrap();
    assert_eq!(email.state, EmailState::Failed);
    assert_eq!(email.message.as_deref(), Some("535 5.7.8 Authentication credentials invalid"));
    assert_eq!(email.attempts, 1, "a permanent refusal is not retried");

    settings::config_unset(&t.engine, &me(), "smtp.password").await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(!answer.accepted);
    assert!(answer.message.contains("no SMTP password is stored"), "{}", answer.message);
}

#[tokio::test]
async fn an_unreachable_server_is_retried_then_reported_on_the_run() {
    let t = engine_with(quick_retries()).await;
    let port = closed_port();
    smtp(&t.engine, port, "none").await;
    apply(&t.engine, &mailing("lonely", "'true'")).await;
    let run = run_and_settle(&t.engine, "lonely").await;
    assert_eq!(run.status, RunStatus::Succeeded);
    let email = run.email.unwrap();
    assert_eq!(email.state, EmailState::Failed);
    assert_eq!(email.attempts, 3, "a refused connection may pass: retried twice");
    let message = email.message.unwrap();
    assert!(message.contains(&format!("127.0.0.1:{port} refused the connection")), "{message}");
}

#[tokio::test]
async fn an_engine_that_stops_while_retrying_records_the_e_mail_as_not_sent() {
    let t =
        engine_with(NotifyOptions { email_retry_delays: vec![Duration::from_secs(600)], ..Default::default() }).await;
    smtp(&t.engine, closed_port(), "none").await;
    apply(&t.engine, &mailing("quitter", "'true'")).await;
    let run = wait_end(&t.engine, start(&t.engine, "quitter", &[]).await.id).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while api::run_get(&t.engine, run.id).await.unwrap().email.is_none_or(|e| e.attempts == 0) {
        assert!(tokio::time::Instant::now() < deadline, "the first attempt never happened");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(t.engine.notifications_settled(Duration::from_millis(100)).await, 1);
    let email = api::run_get(&t.engine, run.id).await.unwrap().email.unwrap();
    assert_eq!(email.state, EmailState::Failed);
    let message = email.message.unwrap();
    assert!(message.starts_with("simple-cicd stopped before the e-mail could be sent"), "{message}");
    assert!(message.contains("refused the connection"), "the last error is kept: {message}");
}

#[tokio::test]
async fn starttls_with_a_self_signed_certificate_is_refused_clearly_until_allowed() {
    let sink = SmtpSink::start(Mode::StartTls);
    let t = engine().await;
    smtp(&t.engine, sink.port, "starttls").await;
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(!answer.accepted);
    assert!(answer.message.contains("certificate is not trusted"), "{}", answer.message);
    assert!(answer.message.contains("smtp.acceptInvalidCerts"), "says what to do: {}", answer.message);

    settings::config_set(&t.engine, &me(), "smtp.security", "none").await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert_eq!(answer.message, "530 Must issue a STARTTLS command first", "the server's own words");

    settings::config_set(&t.engine, &me(), "smtp.security", "starttls").await.unwrap();
    settings::config_set(&t.engine, &me(), "smtp.acceptInvalidCerts", "true").await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert_eq!((answer.accepted, answer.message.as_str()), (true, "250 OK"));
    let m = &sink.wait_messages(1)[0];
    assert_eq!(m["subject"], "[simple-cicd] test e-mail");
    assert!(part(m, "text/plain").contains("test e-mail from simple-cicd"));
}

#[tokio::test]
async fn a_private_authority_named_in_smtp_ca_file_is_trusted_and_a_bad_file_is_named() {
    let sink = SmtpSink::start(Mode::StartTls);
    let t = engine().await;
    smtp(&t.engine, sink.port, "starttls").await;
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(answer.message.contains("smtp.caFile"), "the refusal points at smtp.caFile: {}", answer.message);

    let ca = sink.ca().display().to_string();
    settings::config_set(&t.engine, &me(), "smtp.caFile", &ca).await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert_eq!((answer.accepted, answer.message.as_str()), (true, "250 OK"), "no need to accept invalid certificates");
    assert_eq!(sink.wait_messages(1).len(), 1);

    let missing = format!("{ca}.missing");
    settings::config_set(&t.engine, &me(), "smtp.caFile", &missing).await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(
        !answer.accepted && answer.message.contains(&format!("smtp.caFile {missing} cannot be read")),
        "{}",
        answer.message
    );

    let garbage = sink.dir.path().join("not-a-cert.pem");
    std::fs::write(&garbage, "hello\n").unwrap();
    settings::config_set(&t.engine, &me(), "smtp.caFile", &garbage.display().to_string()).await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(!answer.accepted && answer.message.contains("holds no PEM certificate"), "{}", answer.message);
}

#[tokio::test]
async fn tls_from_the_first_byte_works_too() {
    let sink = SmtpSink::start(Mode::Tls);
    let t = engine().await;
    smtp(&t.engine, sink.port, "tls").await;
    settings::config_set(&t.engine, &me(), "smtp.acceptInvalidCerts", "true").await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert_eq!((answer.accepted, answer.message.as_str()), (true, "250 OK"));
    assert_eq!(sink.wait_messages(1).len(), 1);
}

#[tokio::test]
async fn bad_smtp_input_gets_a_clear_message() {
    let t = engine().await;
    let err = api::smtp_test(&t.engine, &me(), "not an address").await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("`not an address` is not an e-mail address"), "{err}");

    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(answer.message.starts_with("no SMTP server is set: set smtp.host"), "{}", answer.message);

    settings::config_set(&t.engine, &me(), "smtp.host", "smtp.does-not-exist.invalid").await.unwrap();
    settings::config_set(&t.engine, &me(), "smtp.from", "ci@example.com").await.unwrap();
    let answer = api::smtp_test(&t.engine, &me(), "me@example.com").await.unwrap();
    assert!(!answer.accepted);
    assert!(answer.message.contains("smtp.does-not-exist.invalid does not resolve"), "{}", answer.message);

    let err = settings::config_set(&t.engine, &me(), "smtp.from", "ci at example").await.unwrap_err();
    assert!(err.to_string().contains("smtp.from must be an e-mail address"), "{err}");
    let err = settings::config_set(&t.engine, &me(), "smtp.security", "ssl").await.unwrap_err();
    assert!(err.to_string().contains("none, starttls, tls"), "{err}");
}
