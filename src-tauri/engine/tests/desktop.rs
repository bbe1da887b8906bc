//! Desktop notifications against a real notification server: dunst on a private X display and
//! D-Bus session that each test starts. A test binary of its own because notify-rust finds the
//! session bus through DBUS_SESSION_BUS_ADDRESS, which is process-wide: it must not change under
//! the tests that use the user's session bus (the keyring). Its tests take turns ([`on_the_bus`]).

#[path = "desktop/approval.rs"]
mod approval;
#[path = "support/desktop_session.rs"]
mod desktop_session;
#[allow(dead_code)]
#[path = "engine/docker_support.rs"]
mod docker_support;
#[path = "desktop/keyring_locked.rs"]
mod keyring_locked;
#[path = "desktop/rollback.rs"]
mod rollback;

use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::Duration;

use desktop_session::DesktopSession;
use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::notify::{DesktopNote, DesktopNotifier, Notifier};

/// Starts a private desktop and points this process's notifications at it, for one test at a
/// time: the guard keeps the others waiting until this test's desktop is gone.
fn on_the_bus() -> (MutexGuard<'static, ()>, DesktopSession) {
    static TURN: Mutex<()> = Mutex::new(());
    let turn = TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let session = DesktopSession::start();
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &session.bus_address);
    (turn, session)
}

fn note(run_id: i64, summary: &str) -> DesktopNote {
    DesktopNote {
        run_id,
        status: RunStatus::Failed,
        summary: summary.to_string(),
        body: "failed after 1m 12s, exit code 1".to_string(),
    }
}

#[test]
fn the_notification_server_receives_summary_and_body_and_a_click_names_the_run() {
    let (_turn, mut session) = on_the_bus();
    let (clicked, clicks) = mpsc::channel();
    let notifier = DesktopNotifier::with_click(move |run_id| {
        let _ = clicked.send(run_id);
    });

    notifier.show(&note(42, "hello #12 failed")).expect("dunst takes the notification");
    session.wait_displayed(1);
    std::thread::sleep(Duration::from_millis(1000)); // the click watcher subscribes to the signal
    assert!(session.dunstctl(&["action", "0"]).status.success());
    assert_eq!(clicks.recv_timeout(Duration::from_secs(10)), Ok(42), "a click on the notification opens run 42");

    notifier.show(&note(43, "hello #13 failed")).unwrap();
    let received = session.received();
    let expected = |summary: &str| {
        ("simple-cicd".to_string(), summary.to_string(), "failed after 1m 12s, exit code 1".to_string())
    };
    assert!(received.contains(&expected("hello #12 failed")), "{received:?}");
    assert!(received.contains(&expected("hello #13 failed")), "{received:?}");

    session.stop_dunst();
    let err = notifier.show(&note(44, "hello #14 failed")).expect_err("nobody serves notifications any more");
    assert!(err.0.contains("org.freedesktop.Notifications"), "the reason names the missing service: {err}");
}
