//! The keyring locked between two runs that need a secret: gnome-keyring (Secret Service) on the
//! test's private bus, unlocked for the first run and locked over D-Bus before the second, as a
//! screen lock or `Lock` does. The second run fails at once, saying the keyring is locked and to
//! unlock it, and its script never runs (it is never given an empty value). The private bus has no service activation, so no prompt can appear
//! and hang the run. This binary's only keyring user: the keyring crate binds its store to the
//! bus it first sees, this test's.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::{api, secrets, Engine, EngineOptions};

use super::desktop_session::DesktopSession;
use super::on_the_bus;

fn me() -> simple_cicd_engine::auth::Caller {
    simple_cicd_engine::auth::Caller::desktop()
}

const COLLECTION: &str = "/org/freedesktop/secrets/collection/login";
const PASSWORD: &str = "fault-test-login";

/// gnome-keyring-daemon serving org.freedesktop.secrets on the session's bus, its keyrings in `home`.
struct Keyring {
    child: Child,
}

impl Keyring {
    fn start(session: &DesktopSession, home: &std::path::Path) -> Keyring {
        let mut cmd = Command::new("gnome-keyring-daemon");
        cmd.args(["--foreground", "--unlock", "--components=secrets"])
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        session.apply(&mut cmd);
        let mut child = cmd.spawn().expect("gnome-keyring-daemon starts (apt install gnome-keyring)");
        child.stdin.take().unwrap().write_all(PASSWORD.as_bytes()).unwrap();
        let keyring = Keyring { child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !call(session, "org.freedesktop.DBus.Peer.Ping", &[]).status.success() {
            assert!(Instant::now() < deadline, "gnome-keyring did not take org.freedesktop.secrets");
            std::thread::sleep(Duration::from_millis(100));
        }
        keyring
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn call(session: &DesktopSession, method: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new("dbus-send");
    cmd.args(["--session", "--dest=org.freedesktop.secrets", "--type=method_call", "--print-reply"])
        .arg("/org/freedesktop/secrets")
        .arg(method)
        .args(args);
    session.apply(&mut cmd);
    cmd.output().expect("dbus-send runs")
}

async fn run(engine: &Engine) -> (RunStatus, Option<String>, Vec<String>, Duration) {
    let begun = Instant::now();
    let run = api::run_start(engine, &me(), "deploy", &Default::default()).await.expect("the run starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = api::run_get(engine, run.id).await.unwrap();
        if now.status.is_final() && engine.active_runs().is_empty() {
            let log = api::run_logs(engine, run.id, 1, usize::MAX).await.unwrap();
            return (now.status, now.error, log.into_iter().map(|l| l.text).collect(), begun.elapsed());
        }
        assert!(Instant::now() < deadline, "a run with a locked keyring ends, it does not hang: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn a_keyring_locked_between_two_runs_fails_the_second_clearly_and_never_runs_it_without_its_secret() {
    let (_turn, session) = on_the_bus();
    let home = tempfile::tempdir().unwrap();
    let _keyring = Keyring::start(&session, home.path());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(locked_between_two_runs(&session));
}

async fn locked_between_two_runs(session: &DesktopSession) {
    let dir = tempfile::tempdir().unwrap();
    let options = EngineOptions { data_dir: Some(dir.path().to_path_buf()), ..EngineOptions::default() };
    let engine = Engine::open(options).await.expect("engine opens");
    secrets::secret_set(&engine, &me(), "DEPLOY_TOKEN", "tok-7f3a").await.expect("the unlocked keyring stores it");
    let yaml = "kind: shell\nname: deploy\nparams:\n  - { name: DEPLOY_TOKEN, type: secret, required: true }\nscript: |\n  echo \"script-ran len=${#DEPLOY_TOKEN}\"\n";
    api::template_apply_yaml(&engine, &me(), yaml).await.unwrap();
    let (status, _, log, _) = run(&engine).await;
    assert_eq!(status, RunStatus::Succeeded, "{log:?}");
    assert!(log.contains(&"script-ran len=8".to_string()), "{log:?}");

    let locked = call(session, "org.freedesktop.Secret.Service.Lock", &[&format!("array:objpath:{COLLECTION}")]);
    assert!(locked.status.success(), "the collection locks: {}", String::from_utf8_lossy(&locked.stderr));
    let (status, error, log, took) = run(&engine).await;
    let message = error.unwrap_or_default();
    println!(
        "FAULT-OUTCOME\tkeyring locked between two runs\t{}\t{}\tnone\t{:.1}",
        status.as_str(),
        message.lines().next().unwrap_or(""),
        took.as_secs_f64()
    );
    assert_eq!(status, RunStatus::Failed, "{log:?}");
    assert!(message.contains("the keyring is locked"), "what happened: {message}");
    assert!(message.contains("unlock it"), "what to do: {message}");
    assert!(!log.iter().any(|l| l.starts_with("script-ran")), "the script never runs without its secret: {log:?}");
}
