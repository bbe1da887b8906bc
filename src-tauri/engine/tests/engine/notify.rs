//! Notification rules, desktop notifications (through a recording notifier; the real
//! notification server is exercised by the CLI tests), pinning and the tray's summary.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::notify::{DesktopNote, Notifier, NotifyOptions, Unavailable};
use simple_cicd_engine::{api, settings, Error};

use crate::support::*;

/// Remembers every note; fails every call when `down` is set.
#[derive(Default, Clone)]
pub struct Recorder {
    notes: Arc<Mutex<Vec<DesktopNote>>>,
    down: bool,
}

impl Notifier for Recorder {
    fn show(&self, note: &DesktopNote) -> Result<(), Unavailable> {
        if self.down {
            return Err(Unavailable("org.freedesktop.DBus.Error.ServiceUnknown".into()));
        }
        self.notes.lock().unwrap().push(note.clone());
        Ok(())
    }
}

impl Recorder {
    pub fn summaries(&self) -> Vec<String> {
        self.notes.lock().unwrap().iter().map(|n| n.summary.clone()).collect()
    }
}

pub async fn with_recorder(recorder: &Recorder) -> TestEngine {
    engine_with(NotifyOptions { notifier: Arc::new(recorder.clone()), ..NotifyOptions::default() }).await
}

const CODE: &str =
    "kind: shell\nname: code\nparams:\n  - name: CODE\n    type: number\n    default: 0\nscript: exit $CODE\n";

async fn run_code(t: &TestEngine, code: &str) -> simple_cicd_engine::model::Run {
    let run = wait_end(&t.engine, start(&t.engine, "code", &[("CODE", code)]).await.id).await;
    t.engine.notifications_settled(Duration::from_secs(10)).await;
    run
}

#[tokio::test]
async fn a_failed_run_raises_a_notification_with_template_number_outcome_and_duration() {
    let recorder = Recorder::default();
    let t = with_recorder(&recorder).await;
    apply(&t.engine, &format!("{CODE}notify:\n  - when: [failed]\n    desktop: true\n")).await;
    let ok = run_code(&t, "0").await;
    assert_eq!(ok.status, RunStatus::Succeeded);
    assert!(recorder.summaries().is_empty(), "the rule asks only for failures");
    let failed = run_code(&t, "3").await;
    assert_eq!(failed.status, RunStatus::Failed, "notifying does not change the outcome");
    let notes = recorder.notes.lock().unwrap().clone();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].summary, "code #2 failed");
    assert_eq!(notes[0].run_id, failed.id, "a click opens this run");
    assert!(
        notes[0].body.starts_with("failed after ") && notes[0].body.ends_with(", exit code 3"),
        "{}",
        notes[0].body
    );
}

#[tokio::test]
async fn changed_notifies_when_a_template_breaks_and_when_it_is_fixed() {
    let recorder = Recorder::default();
    let t = with_recorder(&recorder).await;
    apply(&t.engine, &format!("{CODE}notify:\n  - when: [changed]\n    desktop: true\n")).await;
    for code in ["0", "1", "1", "0", "0"] {
        run_code(&t, code).await;
    }
    assert_eq!(recorder.summaries(), ["code #2 failed", "code #4 succeeded"]);
}

#[tokio::test]
async fn a_queued_run_cancelled_before_it_started_is_notified_too() {
    let recorder = Recorder::default();
    let t = with_recorder(&recorder).await;
    settings::config_set(&t.engine, &me(), "runs.maxParallel", "1").await.unwrap();
    apply(&t.engine, "kind: shell\nname: slow\nscript: sleep 30\nnotify:\n  - when: [always]\n    desktop: true\n")
        .await;
    let running = start(&t.engine, "slow", &[]).await;
    let queued = start(&t.engine, "slow", &[]).await;
    assert_eq!(api::run_get(&t.engine, queued.id).await.unwrap().status, RunStatus::Queued);
    api::run_cancel(&t.engine, &me(), queued.id).await.unwrap();
    t.engine.notifications_settled(Duration::from_secs(10)).await;
    assert_eq!(recorder.summaries(), ["slow #2 cancelled"]);
    api::run_cancel(&t.engine, &me(), running.id).await.unwrap();
    wait_end(&t.engine, running.id).await;
}

#[tokio::test]
async fn do_not_disturb_and_the_global_switch_hold_desktop_notifications_back() {
    let recorder = Recorder::default();
    let t = with_recorder(&recorder).await;
    apply(&t.engine, &format!("{CODE}notify:\n  - when: [always]\n    desktop: true\n")).await;
    settings::config_set(&t.engine, &me(), "notify.doNotDisturb", "on").await.unwrap();
    run_code(&t, "0").await;
    settings::config_set(&t.engine, &me(), "notify.doNotDisturb", "off").await.unwrap();
    settings::config_set(&t.engine, &me(), "notify.desktop", "false").await.unwrap();
    run_code(&t, "0").await;
    assert!(recorder.summaries().is_empty(), "neither run may notify: {:?}", recorder.summaries());
    settings::config_unset(&t.engine, &me(), "notify.desktop").await.unwrap();
    run_code(&t, "0").await;
    assert_eq!(recorder.summaries(), ["code #3 succeeded"]);
}

#[tokio::test]
async fn a_missing_notification_server_leaves_runs_unaffected() {
    let recorder = Recorder { down: true, ..Recorder::default() };
    let t = with_recorder(&recorder).await;
    apply(&t.engine, &format!("{CODE}notify:\n  - when: [always]\n    desktop: true\n")).await;
    for code in ["0", "2"] {
        let run = run_code(&t, code).await;
        assert_eq!(run.exit_code, Some(code.parse().unwrap()), "the run ends as its script did");
        assert_eq!(run.email, None, "no e-mail was asked for");
    }
}

#[tokio::test]
async fn notify_rules_round_trip_through_yaml_and_bad_rules_name_their_field() {
    let yaml = "kind: shell\nname: n\nscript: 'true'\nnotify:\n  - when: [failed, changed]\n    email: [\"me@example.com\"]\n    desktop: true\n";
    let spec = api::template_parse_yaml(yaml).unwrap();
    assert_eq!(spec.notify[0].email, ["me@example.com"]);
    let again = api::template_parse_yaml(&simple_cicd_engine::template::to_yaml(&spec)).unwrap();
    assert_eq!(again, spec, "export and import keep the rules");

    let err =
        api::template_parse_yaml("kind: shell\nname: n\nscript: 'true'\nnotify:\n  - when: [sometimes]\n").unwrap_err();
    let Error::Invalid(fields) = err else { panic!("expected Invalid") };
    assert_eq!(fields[0].path, "notify[0].when[0]");
    assert!(fields[0].message.contains("failed"), "the allowed values are named: {}", fields[0].message);

    let err = api::template_parse_yaml(
        "kind: shell\nname: n\nscript: 'true'\nnotify:\n  - when: [failed]\n    email: [\"me@example.com\", \"me at example\"]\n",
    )
    .unwrap_err();
    let Error::Invalid(fields) = err else { panic!("expected Invalid") };
    assert_eq!((fields[0].path.as_str(), fields[0].code.as_str()), ("notify[0].email[1]", "invalid"));
}

#[tokio::test]
async fn pinned_templates_are_listed_for_the_tray_with_what_a_quick_run_needs() {
    let t = engine().await;
    apply(&t.engine, CODE).await;
    apply(&t.engine, "kind: shell\nname: plain\nscript: 'true'\n").await;
    apply(&t.engine, "kind: shell\nname: secretive\nparams:\n  - name: TOKEN\n    type: secret\nscript: 'true'\n")
        .await;
    for name in ["plain", "code", "secretive"] {
        api::template_pin(&t.engine, &me(), name, true).await.unwrap();
    }
    api::template_pin(&t.engine, &me(), "secretive", false).await.unwrap();
    let err = api::template_pin(&t.engine, &me(), "nope", true).await.unwrap_err();
    assert_eq!(err.code(), "not_found");

    run_code(&t, "1").await;
    let tray = api::tray_summary(&t.engine).await.unwrap();
    let pinned: Vec<_> = tray.pinned.iter().map(|p| (p.name.as_str(), p.needs_form)).collect();
    assert_eq!(pinned, [("code", true), ("plain", false)], "by name; the form opens only for parameters");
    assert_eq!(tray.recent.len(), 1);
    assert_eq!(tray.last_finished, Some(RunStatus::Failed), "the tray icon shows the last outcome");
    assert_eq!(tray.active, 0);
    assert!(!tray.triggers_paused && !tray.do_not_disturb);

    let listed = api::template_list(&t.engine).await.unwrap();
    let flags: Vec<_> = listed.iter().map(|s| (s.name.as_str(), s.pinned)).collect();
    assert_eq!(flags, [("code", true), ("plain", true), ("secretive", false)]);
    // One rule for every door: a secret parameter is read from the keyring, so it asks nothing.
    let forms: Vec<_> = listed.iter().map(|s| (s.name.as_str(), s.needs_form)).collect();
    assert_eq!(forms, [("code", true), ("plain", false), ("secretive", false)]);
    assert!(!api::template_get(&t.engine, "secretive").await.unwrap().needs_form);
    settings::config_set(&t.engine, &me(), "triggers.paused", "true").await.unwrap();
    assert!(api::tray_summary(&t.engine).await.unwrap().triggers_paused, "the tray's switch is a setting");
}

#[tokio::test]
async fn the_smtp_password_lives_in_the_keyring_and_never_in_sqlite_or_the_secret_list() {
    let t = engine().await;
    let password = "smtp-pass-7d1f0e";
    let set = settings::config_set(&t.engine, &me(), "smtp.password", password).await.expect("the keyring works");
    assert!(set.is_set);
    assert_eq!(set.value, serde_json::Value::Null, "a password is never read back");
    let listed = settings::config_list(&t.engine).await.unwrap();
    let row = listed.iter().find(|s| s.key == "smtp.password").unwrap();
    assert!(row.is_set && row.value.is_null());
    assert!(simple_cicd_engine::secrets::secret_list(&t.engine).await.unwrap().is_empty(), "it is not a user secret");
    let err =
        simple_cicd_engine::secrets::secret_set(&t.engine, &me(), "simple-cicd.smtp-password", "x").await.unwrap_err();
    assert!(err.to_string().contains("simple-cicd's own"), "{err}");
    t.engine.store().close().await;
    let db = std::fs::read(t.dir.path().join("simple-cicd.db")).unwrap();
    assert!(!db.windows(password.len()).any(|w| w == password.as_bytes()), "the value never enters SQLite");
    let t2 = TestEngine { engine: open(&t.dir).await, dir: t.dir };
    settings::config_unset(&t2.engine, &me(), "smtp.password").await.unwrap();
    assert!(!settings::config_get(&t2.engine, "smtp.password").await.unwrap().is_set);
}

#[tokio::test]
async fn a_pipeline_waiting_for_approval_says_so_on_the_desktop() {
    let recorder = Recorder::default();
    let t = with_recorder(&recorder).await;
    apply(&t.engine, "kind: pipeline\nname: gate\nsteps:\n  - { name: ok, kind: approval, message: Ship it? }\n").await;
    let id = start(&t.engine, "gate", &[]).await.id;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !recorder.summaries().iter().any(|s| s == "gate #1 waits for your approval") {
        assert!(std::time::Instant::now() < deadline, "no notification: {:?}", recorder.summaries());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let note = recorder.notes.lock().unwrap().iter().find(|n| n.summary.contains("waits")).cloned().unwrap();
    assert_eq!((note.run_id, note.body.as_str()), (id, "ok: Ship it?"), "a click opens the run");
    let tray = api::tray_summary(&t.engine).await.unwrap();
    assert_eq!(tray.waiting.iter().map(|r| r.id).collect::<Vec<_>>(), [id], "the tray lists it as waiting for you");
    api::run_answer(&t.engine, &me(), id, api::Answer { approve: true, ..Default::default() }).await.unwrap();
    assert_eq!(wait_end(&t.engine, id).await.status, RunStatus::Succeeded);
    assert!(api::tray_summary(&t.engine).await.unwrap().waiting.is_empty(), "answered: no longer waiting");
}
