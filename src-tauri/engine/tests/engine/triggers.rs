//! Polling and cron against a real repository and the real scheduler, with the clock given.

use chrono::{Local, TimeZone};
use simple_cicd_engine::model::{RepositoryInput, RunFilter, RunStatus};
use simple_cicd_engine::trigger::{poll_now, Scheduler};
use simple_cicd_engine::{api, settings, Engine};

use crate::git_servers::*;
use crate::support::*;

async fn runs_of(engine: &Engine, template: &str) -> Vec<simple_cicd_engine::model::Run> {
    let filter = RunFilter { template: Some(template.into()), ..Default::default() };
    api::run_list(engine, &filter).await.unwrap().runs
}

async fn with_repo(fx: &Fixture) -> TestEngine {
    let t = engine().await;
    let input = RepositoryInput { name: "app".into(), url: fx.file_url(), ..Default::default() };
    add_repo(&t.engine, input).await;
    t
}

#[tokio::test]
async fn polling_runs_once_per_new_commit_of_a_watched_branch() {
    let fx = Fixture::new();
    let t = with_repo(&fx).await;
    apply(
        &t.engine,
        "kind: shell\nname: watch\nsource: { repo: app, ref: main }\ntriggers:\n  - poll: { everyMinutes: 5, branches: [\"main\", \"release/*\"] }\nscript: echo $SIMPLE_CICD_BRANCH $SIMPLE_CICD_COMMIT\n",
    )
    .await;
    let first = poll_now(&t.engine, "watch").await.unwrap();
    assert!(first.baseline && first.started.is_empty(), "the first look only records the heads: {first:?}");
    assert_eq!(first.watched.iter().map(|(b, _)| b.as_str()).collect::<Vec<_>>(), ["main"], "dev is not watched");

    assert!(poll_now(&t.engine, "watch").await.unwrap().started.is_empty(), "nothing new, no run");
    let sha = fx.commit("main", "a.txt", "new work");
    fx.commit("dev", "b.txt", "unwatched work");
    let report = poll_now(&t.engine, "watch").await.unwrap();
    assert_eq!(report.started.len(), 1, "{report:?}");
    let run = wait_end(&t.engine, report.started[0]).await;
    assert_eq!(run.trigger, "poll");
    assert_eq!(run.commit.unwrap().sha, sha, "the run uses the commit the poll saw");
    assert!(poll_now(&t.engine, "watch").await.unwrap().started.is_empty(), "the same commit never runs twice");

    git(&fx.work, &["checkout", "-qb", "release/1"]);
    git(&fx.work, &["push", "-q", fx.bare.to_str().unwrap(), "release/1"]);
    git(&fx.work, &["checkout", "-q", "main"]);
    let report = poll_now(&t.engine, "watch").await.unwrap();
    assert_eq!(report.started.len(), 1, "a new watched branch is new work: {report:?}");
    wait_end(&t.engine, report.started[0]).await;
    git(&fx.bare, &["branch", "-D", "release/1"]);
    assert!(poll_now(&t.engine, "watch").await.unwrap().started.is_empty(), "a deleted branch never runs");
    assert_eq!(runs_of(&t.engine, "watch").await.len(), 2);
}

#[tokio::test]
async fn polling_an_unreachable_remote_fails_cleanly_without_a_run() {
    let t = engine().await;
    let input = RepositoryInput {
        name: "gone".into(),
        url: format!("git://127.0.0.1:{}/repo.git", free_port()),
        ..Default::default()
    };
    add_repo(&t.engine, input).await;
    apply(
        &t.engine,
        "kind: shell\nname: w\nsource: { repo: gone }\ntriggers:\n  - poll: { everyMinutes: 1 }\nscript: 'true'\n",
    )
    .await;
    let e = poll_now(&t.engine, "w").await.unwrap_err();
    assert!(e.to_string().contains("cannot reach"), "{e}");
    assert!(runs_of(&t.engine, "w").await.is_empty());
}

#[tokio::test]
async fn cron_fires_once_at_its_time_and_never_replays_missed_fires() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: nightly\ntriggers:\n  - cron: \"0 3 * * *\"\nscript: echo nightly\n").await;
    let at = |d: u32, h: u32, m: u32, s: u32| Local.with_ymd_and_hms(2026, 11, d, h, m, s).unwrap();
    let mut scheduler = Scheduler::default();
    assert!(scheduler.tick(&t.engine, at(25, 12, 0, 0)).await.unwrap().is_empty(), "the first tick only plans");
    assert!(scheduler.tick(&t.engine, at(26, 2, 59, 59)).await.unwrap().is_empty(), "not yet");
    let fired = scheduler.tick(&t.engine, at(26, 3, 0, 1)).await.unwrap();
    assert_eq!(fired.len(), 1, "03:00 fires");
    let run = wait_end(&t.engine, fired[0]).await;
    assert_eq!((run.trigger.as_str(), run.status), ("cron", RunStatus::Succeeded));
    assert!(scheduler.tick(&t.engine, at(26, 3, 0, 2)).await.unwrap().is_empty(), "once per fire time");

    // A second process (another scheduler on the same database) does not fire it again.
    let mut other = Scheduler::default();
    other.tick(&t.engine, at(26, 2, 0, 0)).await.unwrap();
    assert!(other.tick(&t.engine, at(26, 3, 0, 3)).await.unwrap().is_empty(), "claimed by the first process");

    // The app was closed (or the laptop asleep) over two fire times: nothing is replayed.
    let mut late = Scheduler::default();
    late.tick(&t.engine, at(27, 2, 0, 0)).await.unwrap();
    assert!(late.tick(&t.engine, at(29, 9, 0, 0)).await.unwrap().is_empty(), "missed fires are skipped");
    assert_eq!(runs_of(&t.engine, "nightly").await.len(), 1);
}

#[tokio::test]
async fn paused_triggers_do_not_fire() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: often\ntriggers:\n  - cron: \"*/5 * * * *\"\nscript: 'true'\n").await;
    settings::config_set(&t.engine, &me(), "triggers.paused", "true").await.unwrap();
    let at = |m: u32, s: u32| Local.with_ymd_and_hms(2026, 11, 25, 10, m, s).unwrap();
    let mut scheduler = Scheduler::default();
    scheduler.tick(&t.engine, at(1, 0)).await.unwrap();
    assert!(scheduler.tick(&t.engine, at(5, 1)).await.unwrap().is_empty(), "paused");
    settings::config_set(&t.engine, &me(), "triggers.paused", "false").await.unwrap();
    assert_eq!(scheduler.tick(&t.engine, at(10, 1)).await.unwrap().len(), 1, "resumed: the next fire runs");
}

#[tokio::test]
async fn invalid_triggers_are_refused_with_their_field_path() {
    let t = engine().await;
    let e = api::template_parse_yaml(
        "kind: shell\nname: x\ntriggers:\n  - cron: \"0 3 * *\"\n  - cron: \"99 * * * *\"\n  - poll: { everyMinutes: 0 }\n  - webhook: { provider: github, secret: 'bad name' }\nscript: 'true'\n",
    )
    .unwrap_err();
    let simple_cicd_engine::Error::Invalid(fields) = e else { panic!("expected Invalid") };
    let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "triggers[0].cron",
            "triggers[1].cron",
            "triggers[2].poll",
            "triggers[2].poll.everyMinutes",
            "triggers[3].webhook",
            "triggers[3].webhook.secret"
        ],
        "{fields:?}"
    );
    assert!(fields[0].message.contains("five"), "{}", fields[0].message);
    let e = api::template_parse_yaml(
        "kind: shell\nname: x\ntriggers:\n  - webhook: { provider: bitbucket }\nscript: 'true'\n",
    )
    .unwrap_err();
    assert!(e.to_string().contains("bitbucket"), "{e}");
    let overview = api::cron_preview("30 2 * * mon", 3).unwrap();
    assert_eq!(overview.len(), 3);
    drop(t);
}
