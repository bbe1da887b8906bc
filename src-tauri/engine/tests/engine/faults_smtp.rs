//! An SMTP server that gives up mid-session: it greets and answers EHLO, then after MAIL FROM
//! either answers `421` (shutting down) or drops the connection without a word. The run's outcome
//! is its script's; the e-mail's failure is recorded on the run, where e-mail failures go, with a
//! message that says what happened and what to check, after the retries a transient failure gets.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use simple_cicd_engine::model::{EmailState, RunStatus};
use simple_cicd_engine::notify::NotifyOptions;
use simple_cicd_engine::{api, settings};

use crate::fault_outcome::*;
use crate::support::*;

/// What the server does after MAIL FROM.
#[derive(Clone, Copy)]
enum GiveUp {
    Answer421,
    Drop,
}

/// Serves sessions on a free port until the test ends; counts the MAIL FROM it saw.
fn quitting_server(how: GiveUp) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(AtomicUsize::new(0));
    let seen = mails.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let mut out = conn.try_clone().unwrap();
            let mut lines = BufReader::new(conn).lines();
            let _ = out.write_all(b"220 quitter ESMTP\r\n");
            while let Some(Ok(line)) = lines.next() {
                let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" => b"250-quitter\r\n250 8BITMIME\r\n",
                    "MAIL" => {
                        seen.fetch_add(1, Ordering::SeqCst);
                        match how {
                            GiveUp::Answer421 => b"421 4.3.2 Service shutting down, closing channel\r\n",
                            GiveUp::Drop => b"",
                        }
                    }
                    "QUIT" => b"221 bye\r\n",
                    _ => b"250 OK\r\n",
                };
                let _ = out.write_all(reply);
                if verb == "MAIL" || verb == "QUIT" {
                    break; // the connection closes: mid-session, after MAIL FROM
                }
            }
        }
    });
    (port, mails)
}

async fn mail_through(how: GiveUp, fault: &str) -> simple_cicd_engine::model::EmailDelivery {
    let (port, mails) = quitting_server(how);
    let t = engine_with(NotifyOptions {
        email_retry_delays: vec![Duration::from_millis(100), Duration::from_millis(100)],
        ..Default::default()
    })
    .await;
    for (key, value) in [
        ("smtp.host", "127.0.0.1".to_string()),
        ("smtp.port", port.to_string()),
        ("smtp.security", "none".to_string()),
        ("smtp.from", "simple-cicd <ci@example.com>".to_string()),
    ] {
        settings::config_set(&t.engine, &me(), key, &value).await.unwrap();
    }
    let name = crate::docker_support::unique("mailed");
    apply(
        &t.engine,
        &format!("kind: shell\nname: {name}\nscript: echo done\nnotify:\n  - when: [always]\n    email: [\"me@example.com\"]\n"),
    )
    .await;
    let since = Instant::now();
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    t.engine.notifications_settled(Duration::from_secs(60)).await;
    let run = api::run_get(&t.engine, run.id).await.unwrap();
    assert_eq!(run.status, RunStatus::Succeeded, "a refused e-mail does not change the run's outcome");
    let email = run.email.clone().expect("the failure is recorded on the run");
    let left = if email.state == EmailState::Failed { Vec::new() } else { vec![format!("e-mail {:?}", email.state)] };
    report(fault, run.status.as_str(), &format!("e-mail: {}", email.message.as_deref().unwrap_or("")), &left, since);
    assert_eq!(email.state, EmailState::Failed, "{email:?}");
    assert_eq!(email.attempts, 3, "a server that gives up mid-session may come back: retried twice ({email:?})");
    assert_eq!(mails.load(Ordering::SeqCst), 3, "each attempt reached MAIL FROM");
    still_serves(&t.engine).await;
    email
}

#[tokio::test]
async fn an_smtp_server_answering_421_after_mail_from_only_marks_the_e_mail_failed_with_its_words() {
    let email = mail_through(GiveUp::Answer421, "SMTP server answers 421 mid-session").await;
    let message = email.message.unwrap();
    assert!(message.starts_with("421 4.3.2 Service shutting down"), "the server's own words are kept: {message}");
}

#[tokio::test]
async fn an_smtp_server_dropping_the_connection_after_mail_from_only_marks_the_e_mail_failed_clearly() {
    let email = mail_through(GiveUp::Drop, "SMTP server drops the connection mid-session").await;
    let message = email.message.unwrap();
    assert!(message.contains("closed the connection"), "what happened: {message}");
    assert!(message.contains("check the SMTP server's log"), "what to do: {message}");
}
