//! An approval answered from its desktop notification: the buttons Approve / Decline (批准 / 拒绝
//! in Chinese) pressed through dunst's context menu, the body's click opening the run, and the
//! notification withdrawn when the run is answered elsewhere.

use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use simple_cicd_engine::model::{Run, RunStatus, RunStep, StepStatus};
use simple_cicd_engine::notify::{DesktopNotifier, NotifyOptions};
use simple_cicd_engine::{api, Engine, EngineOptions};

use super::desktop_session::DesktopSession;
use super::on_the_bus;

fn me() -> simple_cicd_engine::auth::Caller {
    simple_cicd_engine::auth::Caller::desktop()
}

const GATE: &str = "kind: pipeline\nname: gate\nsteps:\n  - { name: ask, kind: approval, message: Ship it? }\n  - { name: after, kind: shell, script: echo shipped }\n";

async fn engine(dir: &tempfile::TempDir, notifier: DesktopNotifier) -> Engine {
    let notify = NotifyOptions { notifier: Arc::new(notifier), ..NotifyOptions::default() };
    let options = EngineOptions { data_dir: Some(dir.path().to_path_buf()), notify, ..EngineOptions::default() };
    let engine = Engine::open(options).await.expect("engine opens on a fresh directory");
    api::template_apply_yaml(&engine, &me(), GATE).await.expect("the gate pipeline is valid");
    engine
}

/// Starts the gate and waits until its question is on screen and watched.
async fn ask(engine: &Engine, session: &DesktopSession) -> Run {
    let run = api::run_start(engine, &me(), "gate", &Default::default()).await.expect("the gate starts");
    session.wait_displayed(1);
    tokio::time::sleep(Duration::from_millis(1000)).await; // the watch subscribes to the signals
    run
}

async fn wait_end(engine: &Engine, id: i64, session: &DesktopSession) -> (Run, Vec<RunStep>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let run = api::run_get(engine, id).await.unwrap();
        if run.status.is_final() {
            return (run, api::run_steps(engine, id).await.unwrap());
        }
        let offered = session.menu_offered();
        assert!(
            Instant::now() < deadline,
            "run {id} is still {} 20 s after the answer; menu offered:\n{offered}",
            run.status
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn wait_gone(session: &DesktopSession, why: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while session.displayed() > 0 {
        assert!(Instant::now() < deadline, "the question is still on screen: {why}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn press(session: &DesktopSession, line: &str) {
    session.choose(line);
    assert!(session.dunstctl(&["context"]).status.success(), "dunstctl context opens the menu");
}

#[test]
fn approve_and_decline_on_the_notification_answer_the_approval_as_the_os_user() {
    let (_turn, session) = on_the_bus();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let (en_dir, zh_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let en = engine(&en_dir, DesktopNotifier::new().in_language("en-US")).await;
        let zh = engine(&zh_dir, DesktopNotifier::new().in_language("zh-CN")).await;

        let first = ask(&en, &session).await;
        press(&session, "#Approve (gate #1 waits for your approval)");
        let (run, steps) = wait_end(&en, first.id, &session).await;
        assert_eq!(run.status, RunStatus::Succeeded, "Approve lets the pipeline go on to its next step");
        assert_eq!(steps[0].outputs["approver"], api::os_user(), "answered as the OS user, like the run page");
        assert_eq!(steps[0].outputs["comment"], "", "a button says nothing more");
        assert!(session.menu_offered().contains("#Decline (gate #1"), "both answers are offered");
        wait_gone(&session, "an answered question goes away");

        let declined = ask(&zh, &session).await;
        press(&session, "#拒绝 (gate #1 waits for your approval)");
        let (run, steps) = wait_end(&zh, declined.id, &session).await;
        assert_eq!(run.status, RunStatus::Failed, "Decline (拒绝) fails the pipeline");
        assert_eq!(steps[0].outputs["approver"], api::os_user(), "declined as the OS user");
        assert_eq!(steps[1].status, StepStatus::Skipped, "the step after a declined approval does not run");
        assert!(session.menu_offered().contains("#批准 (gate #1"), "a Chinese desktop gets Chinese buttons");
        wait_gone(&session, "a declined question goes away");
    });
}

#[test]
fn the_question_opens_its_run_on_click_and_goes_away_once_answered_elsewhere() {
    let (_turn, session) = on_the_bus();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let (opened, opens) = mpsc::channel();
        let notifier = DesktopNotifier::with_click(move |id| {
            let _ = opened.send(id);
        });
        let en = engine(&dir, notifier.in_language("en-US")).await;

        let clicked = ask(&en, &session).await;
        assert!(session.dunstctl(&["action", "0"]).status.success());
        assert_eq!(
            opens.recv_timeout(Duration::from_secs(10)),
            Ok(clicked.id),
            "a click on the question opens its run"
        );
        let window = me();
        let answer = |id| api::run_answer(&en, &window, id, api::Answer { approve: true, ..Default::default() });
        answer(clicked.id).await.expect("the run still waits after a mere click");
        wait_end(&en, clicked.id, &session).await;
        wait_gone(&session, "a clicked notification goes, like any other");

        let elsewhere = ask(&en, &session).await;
        answer(elsewhere.id).await.expect("the run page answers");
        let (run, _) = wait_end(&en, elsewhere.id, &session).await;
        assert_eq!(run.status, RunStatus::Succeeded);
        wait_gone(&session, "a question answered on the run page is withdrawn from the desktop");
    });
}
