//! A failed deploy's desktop notification offers "Roll back to #N" (the app's last good
//! revision): pressed through dunst's context menu, it starts the rollback run, which deploys that
//! revision again. Against the real daemon, compose v2 and a registry on loopback.

use std::sync::Arc;
use std::time::{Duration, Instant};

use simple_cicd_engine::model::{Run, RunFilter, RunStatus};
use simple_cicd_engine::notify::{DesktopNotifier, NotifyOptions};
use simple_cicd_engine::{api, Engine, EngineOptions};

use super::docker_support::{base_image, build_dockerfile, push, unique, TestRegistry};
use super::on_the_bus;

fn me() -> simple_cicd_engine::auth::Caller {
    simple_cicd_engine::auth::Caller::desktop()
}

/// Builds `REGISTRY/NAME:1` from the busybox base and pushes it.
async fn pushed(registry: &TestRegistry, name: &str) -> String {
    let image = format!("{}/{name}:1", registry.host);
    let dockerfile = format!("FROM {}\nRUN echo {name} > /marker\n", base_image().await);
    build_dockerfile(&image, &dockerfile).await;
    push(&format!("{}/{name}", registry.host), "1").await;
    image
}

/// A one-service stack whose healthcheck runs `health`; failures are told on the desktop.
fn stack(project: &str, image: &str, health: &str) -> String {
    format!(
        "kind: compose\nname: {project}\nproject: {project}\nwaitSeconds: 8\nnotify:\n  - when: [failed]\n    desktop: true\ncompose: |\n  services:\n    app:\n      image: {image}\n      command: [\"sleep\", \"600\"]\n      healthcheck:\n        test: [\"CMD\", \"{health}\"]\n        interval: 1s\n        retries: 2\n"
    )
}

async fn launch(engine: &Engine, project: &str) -> Run {
    let run = api::run_start(engine, &me(), project, &Default::default()).await.expect("the stack starts");
    wait_end(engine, run.id).await
}

async fn wait_end(engine: &Engine, id: i64) -> Run {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let run = api::run_get(engine, id).await.unwrap();
        if run.status.is_final() {
            return run;
        }
        assert!(Instant::now() < deadline, "run {id} is still {} after 90 s", run.status);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The run of `template` started with `trigger`, once there is one.
async fn started_with(engine: &Engine, template: &str, trigger: &str, offered: impl Fn() -> String) -> Run {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let filter = RunFilter { template: Some(template.to_string()), limit: 20, ..Default::default() };
        let page = api::run_list(engine, &filter).await.unwrap();
        if let Some(run) = page.runs.into_iter().find(|r| r.trigger == trigger) {
            return run;
        }
        assert!(Instant::now() < deadline, "no run `{trigger}` started; menu offered:\n{}", offered());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[test]
fn roll_back_on_a_failed_deploys_notification_relaunches_the_last_good_revision() {
    let (_turn, session) = on_the_bus();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let notify = NotifyOptions {
            notifier: Arc::new(DesktopNotifier::new().in_language("en-US")),
            ..NotifyOptions::default()
        };
        let options = EngineOptions { data_dir: Some(dir.path().to_path_buf()), notify, ..EngineOptions::default() };
        let engine = Engine::open(options).await.expect("engine opens on a fresh directory");
        let registry = TestRegistry::start(None).await;
        let project = unique("offered");
        let image = pushed(&registry, &project).await;

        api::template_apply_yaml(&engine, &me(), &stack(&project, &image, "true")).await.unwrap();
        let good = launch(&engine, &project).await;
        assert_eq!(good.status, RunStatus::Succeeded, "{:?}", good.error);
        api::template_apply_yaml(&engine, &me(), &stack(&project, &image, "false")).await.unwrap();
        let bad = launch(&engine, &project).await;
        assert_eq!(bad.status, RunStatus::Failed, "an unhealthy launch fails");

        session.wait_displayed(1);
        tokio::time::sleep(Duration::from_millis(1000)).await; // the watch subscribes to the signals
        session.choose(&format!("#Roll back to #1 ({project} #2 failed)"));
        assert!(session.dunstctl(&["context"]).status.success(), "dunstctl context opens the menu");
        let trigger = format!("rollback to #1 by {}", me().person());
        let rollback = started_with(&engine, &project, &trigger, || session.menu_offered()).await;
        let rollback = wait_end(&engine, rollback.id).await;
        let detail = api::app_get(&engine, &project).await.unwrap();
        let _ = api::app_action(&engine, &me(), &project, api::AppAction::DownWithVolumes).await;

        assert_eq!(rollback.status, RunStatus::Succeeded, "{:?}", rollback.error);
        let newest = &detail.revisions[0];
        assert_eq!((newest.number, newest.trigger.as_str(), newest.status.as_str()), (3, trigger.as_str(), "deployed"));
        assert!(detail.healthy, "revision 1's healthcheck passes again: {detail:?}");
        assert!(
            session.menu_offered().contains(&format!("#Roll back to #1 ({project} #2 failed)")),
            "the button names the revision it returns to"
        );
    });
}
