//! `scicd` and notifications: the SMTP password from stdin, `scicd smtp test`, the e-mail and the
//! desktop notification of `scicd run` against real servers (aiosmtpd, dunst), pinning.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::desktop_session::DesktopSession;
use crate::smtp_sink::{closed_port, Mode, SmtpSink};
use crate::support::*;

const KEY: (&str, &str) = ("SIMPLE_CICD_SECRETS_KEY", "a cli test passphrase for the smtp password");

/// Runs scicd with `input` on stdin and the file secret store's key in the environment.
fn with_stdin(s: &Scicd, args: &[&str], input: &str) -> Output {
    let mut child = s
        .cmd()
        .args(args)
        .env(KEY.0, KEY.1)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn configure(s: &Scicd, port: u16, extra: &[(&str, &str)]) {
    let port = port.to_string();
    let base = [
        ("secrets.backend", "file"),
        ("smtp.host", "127.0.0.1"),
        ("smtp.port", port.as_str()),
        ("smtp.security", "none"),
        ("smtp.from", "simple-cicd <ci@example.com>"),
    ];
    for (key, value) in base.iter().chain(extra) {
        let out = s.run(&["config", "set", key, value]);
        assert!(out.status.success(), "config set {key}: {}", stderr(&out));
    }
}

#[test]
fn the_smtp_password_comes_from_stdin_never_from_the_command_line() {
    let s = Scicd::new();
    configure(&s, 25, &[]);
    let out = with_stdin(&s, &["config", "set", "smtp.password", "hunter2-on-argv"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("never taken from the command line"), "{}", stderr(&out));
    let out = with_stdin(&s, &["config", "set", "smtp.password"], "hunter2-from-stdin\n");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "smtp.password = (stored)\n");
    assert_eq!(stdout(&s.run(&["config", "get", "smtp.password"])), "(stored)\n");
    let list = stdout(&s.run(&["config", "list"]));
    assert!(list.contains("smtp.password") && !list.contains("hunter2"), "{list}");
    for file in ["simple-cicd.db", "simple-cicd.db-wal"] {
        let bytes = std::fs::read(s.dir.path().join(file)).unwrap_or_default();
        assert!(!bytes.windows(18).any(|w| w == b"hunter2-from-stdin"), "the password never enters SQLite");
    }
}

#[test]
fn smtp_test_prints_the_server_s_exact_answer() {
    let sink = SmtpSink::start(Mode::Auth);
    let s = Scicd::new();
    configure(&s, sink.port, &[("smtp.username", "ci-user")]);
    assert!(with_stdin(&s, &["config", "set", "smtp.password"], "ci-pass").status.success());
    let out = s.cmd().args(["smtp", "test", "me@example.com"]).env(KEY.0, KEY.1).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "250 OK\n");
    assert_eq!(sink.wait_messages(1)[0]["subject"], "[simple-cicd] test e-mail");

    assert!(with_stdin(&s, &["config", "set", "smtp.password"], "wrong").status.success());
    let out = s.cmd().args(["smtp", "test", "me@example.com"]).env(KEY.0, KEY.1).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(stderr(&out), "error: e-mail not sent: 535 5.7.8 Authentication credentials invalid\n");

    let out = s.run(&["smtp", "test", "me(at)example"]);
    assert_eq!(out.status.code(), Some(2), "an invalid address is a usage error");
    assert!(stderr(&out).contains("is not an e-mail address"), "{}", stderr(&out));
}

const FAILING: &str = "kind: shell\nname: boom\nscript: |\n  echo 'about to fail'\n  exit 3\nnotify:\n  - when: [failed]\n    email: [\"me@example.com\"]\n    desktop: true\n";

#[test]
fn scicd_run_waits_for_its_e_mail_and_says_what_became_of_it() {
    let sink = SmtpSink::start(Mode::Plain);
    let s = Scicd::new();
    configure(&s, sink.port, &[("notify.desktop", "false")]);
    s.apply(FAILING);
    let out = s.run(&["run", "boom"]);
    assert_eq!(out.status.code(), Some(1), "the run's outcome decides the exit status");
    assert!(stderr(&out).contains("» E-mail sent to me@example.com: 250 OK"), "{}", stderr(&out));
    let m = &sink.wait_messages(1)[0];
    assert_eq!(m["subject"], "[simple-cicd] boom #1 failed");

    let port = closed_port();
    configure(&s, port, &[]);
    let out = s.cmd().args(["run", "boom"]).env("SIMPLE_CICD_EMAIL_RETRY_MS", "50,50").output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an e-mail that cannot go does not change the exit status");
    let expected = format!("» E-mail not sent: the SMTP server 127.0.0.1:{port} refused the connection");
    assert!(stderr(&out).contains(&expected), "{}", stderr(&out));
    let show = stdout(&s.run(&["runs", "show", "2"]));
    assert!(show.contains("E-mail:    not sent to me@example.com: the SMTP server"), "{show}");
    assert_eq!(s.run_json(2)["email"]["attempts"], 3);
}

#[test]
fn scicd_run_raises_a_desktop_notification_that_the_server_receives() {
    let mut session = DesktopSession::start();
    let s = Scicd::new();
    s.apply(FAILING);
    let mut cmd = s.cmd();
    session.apply(&mut cmd);
    let out = cmd.args(["run", "boom"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("» E-mail not sent: no SMTP server is set"), "{}", stderr(&out));
    let received = session.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let (app, summary, body) = &received[0];
    assert_eq!((app.as_str(), summary.as_str()), ("simple-cicd", "boom #1 failed"));
    assert!(body.starts_with("failed after ") && body.ends_with(", exit code 3"), "{body}");

    session.stop_dunst();
    let mut cmd = s.cmd();
    session.apply(&mut cmd);
    let started = std::time::Instant::now();
    let out = cmd.args(["run", "boom"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a vanished notification server changes nothing: {}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "and does not hold the run up");
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn templates_are_pinned_and_unpinned_from_the_command_line() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: hello\nscript: echo hi\n");
    assert_eq!(stdout(&s.run(&["template", "pin", "hello"])), "Pinned hello to the tray\n");
    let list: serde_json::Value = serde_json::from_slice(&s.run(&["template", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["pinned"], true);
    assert!(stdout(&s.run(&["template", "list"])).contains("PINNED"));
    assert!(s.run(&["template", "unpin", "hello"]).status.success());
    let list: serde_json::Value = serde_json::from_slice(&s.run(&["template", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["pinned"], false);
    let out = s.run(&["template", "pin", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("template nope does not exist"), "{}", stderr(&out));
}
