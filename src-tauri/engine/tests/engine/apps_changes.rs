//! Apps against the real daemon and compose v2: the watch tells a change of state to the
//! e-mail recipients and the desktop as the deploying template's rules say, once per change (a
//! real SMTP server on loopback); a revision diff names the image and configuration lines that
//! changed and never holds a secret's value.

use std::time::Duration;

use simple_cicd_engine::deploy::watch::check_apps;
use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::notify::NotifyOptions;
use simple_cicd_engine::{api, secrets, settings};

use crate::docker_support::*;
use crate::notify::Recorder;
use crate::smtp_sink::{part, Mode, SmtpSink};
use crate::support::*;

/// An image of its own (FROM the busybox base), so that two revisions run different images.
async fn own_image(name: &str) -> String {
    let base = base_image().await;
    let image = format!("{name}:1");
    let dockerfile = format!("FROM {base}\nRUN echo {name} > /marker\n");
    build_dockerfile(&image, &dockerfile).await;
    image
}

/// A one-service stack that sleeps, with `extra` appended to the template.
fn stack(project: &str, image: &str, extra: &str) -> String {
    format!(
        "kind: compose\nname: {project}\nproject: {project}\nwaitSeconds: 30\ncompose: |\n  services:\n    app:\n      image: {image}\n      command: [\"sleep\", \"600\"]\n{extra}"
    )
}

async fn down(t: &TestEngine, project: &str) {
    let _ = api::app_action(&t.engine, &me(), project, api::AppAction::DownWithVolumes).await;
}

#[tokio::test]
async fn the_watch_emails_the_rules_recipients_once_per_change_and_shows_the_desktop_only_what_they_ask() {
    let sink = SmtpSink::start(Mode::Plain);
    let recorder = Recorder::default();
    let options = NotifyOptions {
        notifier: std::sync::Arc::new(recorder.clone()),
        email_retry_delays: vec![Duration::from_millis(100)],
    };
    let t = engine_with(options).await;
    for (key, value) in [
        ("smtp.host", "127.0.0.1".to_string()),
        ("smtp.port", sink.port.to_string()),
        ("smtp.security", "none".to_string()),
        ("smtp.from", "simple-cicd <ci@example.com>".to_string()),
    ] {
        settings::config_set(&t.engine, &me(), key, &value).await.unwrap();
    }
    let project = unique("mailed");
    let rules = "notify:\n  - when: [unhealthy, recovered]\n    email: [ops@example.com]\n  - when: [drifted]\n    desktop: true\n";
    apply(&t.engine, &stack(&project, base_image().await, rules)).await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);

    check_apps(&t.engine).await.unwrap();
    api::app_action(&t.engine, &me(), &project, api::AppAction::Stop).await.unwrap();
    let changes = check_apps(&t.engine).await.unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert!(check_apps(&t.engine).await.unwrap().is_empty(), "the same state again is no change");
    api::app_action(&t.engine, &me(), &project, api::AppAction::Start).await.unwrap();
    check_apps(&t.engine).await.unwrap();
    t.engine.notifications_settled(Duration::from_secs(20)).await;
    down(&t, &project).await;

    let messages = sink.wait_messages(2);
    let subjects: Vec<&str> = messages.iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(
        subjects,
        [
            format!("[simple-cicd] App {project} on local is unhealthy"),
            format!("[simple-cicd] App {project} on local is healthy again"),
        ],
        "one e-mail per change, none for the first look or the unchanged second one"
    );
    assert_eq!(messages[0]["to"], serde_json::json!(["ops@example.com"]));
    let text = part(&messages[0], "text/plain");
    assert!(text.contains("app (exited") && text.contains("Endpoint: local"), "the services as seen: {text}");
    assert!(part(&messages[0], "text/html").contains("<h3>Services</h3>"), "an HTML part too");
    assert!(
        recorder.summaries().iter().all(|s| !s.starts_with("App ")),
        "the rules ask the desktop only for drift: {:?}",
        recorder.summaries()
    );
}

#[tokio::test]
async fn a_template_without_app_rules_shows_every_change_on_the_desktop_and_sends_no_e_mail() {
    let recorder = Recorder::default();
    let t = crate::notify::with_recorder(&recorder).await;
    let project = unique("plain");
    apply(
        &t.engine,
        &stack(&project, base_image().await, "notify:\n  - when: [failed]\n    email: [me@example.com]\n"),
    )
    .await;
    let run = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    check_apps(&t.engine).await.unwrap();
    api::app_action(&t.engine, &me(), &project, api::AppAction::Stop).await.unwrap();
    check_apps(&t.engine).await.unwrap();
    down(&t, &project).await;
    let said = recorder.summaries();
    assert_eq!(said, [format!("App {project} on local is unhealthy")], "the default rule: the desktop hears");
}

#[tokio::test]
async fn a_revision_diff_names_the_changed_image_and_lines_and_never_holds_a_secret_value() {
    let t = engine().await;
    file_secrets(&t.engine).await;
    let token = "diff-secret-7f3e1a";
    secrets::secret_set(&t.engine, &me(), "DIFF_TOKEN", token).await.unwrap();
    let project = unique("diffed");
    let secret =
        "      environment:\n        DIFF_TOKEN: ${DIFF_TOKEN}\nparams:\n  - name: DIFF_TOKEN\n    type: secret\n";
    apply(&t.engine, &stack(&project, base_image().await, secret)).await;
    let one = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    let image = own_image(&unique("diffed-img")).await;
    apply(&t.engine, &stack(&project, &image, secret).replace("\"600\"", "\"700\"")).await;
    let two = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    down(&t, &project).await;
    assert_eq!(
        (one.status, two.status),
        (RunStatus::Succeeded, RunStatus::Succeeded),
        "{:?} {:?}",
        one.error,
        two.error
    );

    let detail = api::app_get(&t.engine, &project).await.unwrap();
    for r in &detail.revisions {
        assert!(r.config.contains("${DIFF_TOKEN}"), "the variable stays as written: {}", r.config);
        assert!(!r.config.contains(token), "a stored configuration never holds the secret: {}", r.config);
    }
    let diff = api::app_diff(&t.engine, &project, 1, 2).await.unwrap();
    assert!(!diff.config.contains(token), "nor does a diff");
    let lines: Vec<&str> = diff.config.lines().collect();
    assert_eq!(&lines[..2], ["--- #1", "+++ #2"], "{}", diff.config);
    assert!(lines.iter().any(|l| l.starts_with('+') && l.contains(&image)), "the new image line: {}", diff.config);
    assert!(lines.iter().any(|l| l.starts_with('+') && l.contains("700")), "the new command: {}", diff.config);
    assert!(lines.iter().any(|l| l.starts_with('-') && l.contains("600")), "the old command: {}", diff.config);
    assert_eq!(diff.images.len(), 1);
    let app = &diff.images[0];
    assert!(app.changed, "another image runs in #2: {app:?}");
    assert_ne!(app.from.as_ref().unwrap().pinned, app.to.as_ref().unwrap().pinned, "compared by what ran");
    assert!(api::app_diff(&t.engine, &project, 2, 2).await.unwrap().config.is_empty(), "a revision against itself");
    let err = api::app_diff(&t.engine, &project, 1, 9).await.unwrap_err();
    assert!(err.to_string().contains("no revision #9"), "{err}");
}
