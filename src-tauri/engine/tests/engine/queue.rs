//! The queue: a global limit across engines, per-template policies, cancel while queued,
//! queued runs that outlive their process.

use std::time::Duration;

use simple_cicd_engine::model::{RunFilter, RunStatus};
use simple_cicd_engine::{api, settings, Engine};

use crate::support::*;

async fn running_now(engine: &Engine) -> i64 {
    let filter = RunFilter { status: Some(RunStatus::Running), ..Default::default() };
    api::run_list(engine, &filter).await.unwrap().total
}

#[tokio::test]
async fn runs_beyond_the_limit_wait_queued_and_all_finish() {
    let t = engine().await;
    settings::config_set(&t.engine, &me(), "runs.maxParallel", "2").await.unwrap();
    apply(&t.engine, "kind: shell\nname: work\nscript: sleep 0.3\n").await;
    let mut ids = Vec::new();
    for _ in 0..6 {
        ids.push(start(&t.engine, "work", &[]).await.id);
    }
    let mut peak = 0;
    while api::run_list(&t.engine, &RunFilter { status: Some(RunStatus::Succeeded), ..Default::default() })
        .await
        .unwrap()
        .total
        < 6
    {
        peak = peak.max(running_now(&t.engine).await);
        assert!(peak <= 2, "never more than runs.maxParallel at once");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(peak, 2, "the limit is also used, not just respected");
    let runs: Vec<_> = futures_runs(&t.engine, &ids).await;
    assert!(runs.windows(2).all(|w| w[0].started_at <= w[1].started_at), "they start in queue order");
}

#[tokio::test]
async fn the_limit_holds_across_two_processes_sharing_the_data() {
    let t = engine().await;
    settings::config_set(&t.engine, &me(), "runs.maxParallel", "1").await.unwrap();
    apply(&t.engine, "kind: shell\nname: work\nscript: sleep 0.2\n").await;
    let other = open(&t.dir).await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let e = if i % 2 == 0 { &t.engine } else { &other };
        ids.push(start(e, "work", &[]).await.id);
    }
    loop {
        let running = running_now(&t.engine).await;
        assert!(running <= 1, "two engines together respect the one limit");
        let done = api::run_list(&t.engine, &RunFilter { status: Some(RunStatus::Succeeded), ..Default::default() })
            .await
            .unwrap()
            .total;
        if done == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_queue_policy_run_waits_for_the_running_one() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: deploy\nconcurrency: queue\nscript: sleep 0.4\n").await;
    let first = start(&t.engine, "deploy", &[]).await;
    let second = start(&t.engine, "deploy", &[]).await;
    let first = wait_end(&t.engine, first.id).await;
    let second = wait_end(&t.engine, second.id).await;
    assert!(second.started_at.unwrap() >= first.finished_at.unwrap(), "the second started after the first ended");
}

#[tokio::test]
async fn a_cancel_previous_run_cancels_the_running_one() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: preview\nconcurrency: cancel-previous\nscript: |\n  echo up\n  sleep 30\n")
        .await;
    let first = start(&t.engine, "preview", &[]).await;
    wait_for_line(&t.engine, first.id, "up").await;
    let second = start(&t.engine, "preview", &[]).await;
    assert_eq!(wait_end_of(&t.engine, first.id).await.status, RunStatus::Cancelled);
    wait_for_line(&t.engine, second.id, "up").await;
    api::run_cancel(&t.engine, &me(), second.id).await.unwrap();
    wait_end(&t.engine, second.id).await;
}

#[tokio::test]
async fn a_queued_run_can_be_cancelled_and_never_starts() {
    let t = engine().await;
    settings::config_set(&t.engine, &me(), "runs.maxParallel", "1").await.unwrap();
    apply(&t.engine, "kind: shell\nname: hog\nscript: sleep 30\n").await;
    apply(&t.engine, "kind: shell\nname: waiting\nscript: echo should-not-run\n").await;
    let hog = start(&t.engine, "hog", &[]).await;
    let waiting = start(&t.engine, "waiting", &[]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(api::run_get(&t.engine, waiting.id).await.unwrap().status, RunStatus::Queued);
    let cancelled = api::run_cancel(&t.engine, &me(), waiting.id).await.unwrap();
    assert_eq!(cancelled.status, RunStatus::Cancelled, "a queued run is cancelled at once");
    api::run_cancel(&t.engine, &me(), hog.id).await.unwrap();
    wait_end(&t.engine, hog.id).await;
    assert!(log_text(&t.engine, waiting.id).await.is_empty(), "it never ran");
}

#[tokio::test]
async fn queued_runs_of_a_dead_process_start_in_the_next_long_lived_engine() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: later\nscript: echo ran after restart\n").await;
    settings::config_set(&t.engine, &me(), "runs.maxParallel", "1").await.unwrap();
    apply(&t.engine, "kind: shell\nname: hog\nscript: sleep 30\n").await;
    let hog = start(&t.engine, "hog", &[]).await;
    let queued = start(&t.engine, "later", &[]).await;
    // The owner "dies": its row now names an owner whose lock nobody holds.
    let db = t.dir.path().join("simple-cicd.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    sqlx::query("UPDATE runs SET owner = 'deadbeef' WHERE id = ?").bind(queued.id).execute(&pool).await.unwrap();
    pool.close().await;
    api::run_cancel(&t.engine, &me(), hog.id).await.unwrap();
    wait_end(&t.engine, hog.id).await;
    let short_lived = open(&t.dir).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        api::run_get(&short_lived, queued.id).await.unwrap().status,
        RunStatus::Queued,
        "CLI engines do not adopt"
    );
    let app = simple_cicd_engine::Engine::open(simple_cicd_engine::EngineOptions {
        data_dir: Some(t.dir.path().into()),
        adopt_queued: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let run = wait_end_of(&app, queued.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "the queued run started after the restart");
    assert!(log_text(&app, queued.id).await.contains(&"ran after restart".to_string()));
}

#[tokio::test]
async fn a_limit_of_zero_or_below_is_refused_with_the_range() {
    let t = engine().await;
    for bad in ["0", "-1", "many"] {
        let err = settings::config_set(&t.engine, &me(), "runs.maxParallel", bad).await.unwrap_err();
        assert!(err.to_string().contains("from 1 to 256"), "{err}");
    }
    let err = settings::config_set(&t.engine, &me(), "runs.maxParalel", "2").await.unwrap_err();
    assert!(err.to_string().contains("known settings: runs.maxParallel"), "{err}");
    assert_eq!(settings::config_get(&t.engine, "runs.cancelGraceSeconds").await.unwrap().value, 10, "the default");
}

async fn wait_end_of(engine: &Engine, id: i64) -> simple_cicd_engine::model::Run {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let run = api::run_get(engine, id).await.unwrap();
        if run.status.is_final() {
            return run;
        }
        assert!(tokio::time::Instant::now() < deadline, "run {id} did not end");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn futures_runs(engine: &Engine, ids: &[i64]) -> Vec<simple_cicd_engine::model::Run> {
    let mut out = Vec::new();
    for id in ids {
        out.push(api::run_get(engine, *id).await.unwrap());
    }
    out
}
