//! A run from start to end: environment, outcomes, cancel, timeout, nothing left behind.

use std::time::{Duration, Instant};

use simple_cicd_engine::model::RunStatus;
use simple_cicd_engine::{api, Error};

use crate::support::*;

#[tokio::test]
async fn parameters_reach_the_script_as_text_never_as_shell_code() {
    let t = engine().await;
    let marker = t.dir.path().join("pwned");
    apply(&t.engine, "kind: shell\nname: env\nparams:\n  - name: WHO\n    type: string\nscript: |\n  printf '%s\\n' \"$WHO\"\n  echo \"id=$SIMPLE_CICD_RUN_ID number=$SIMPLE_CICD_RUN_NUMBER template=$SIMPLE_CICD_TEMPLATE\"\n").await;
    let evil = format!("$(touch {}); reboot `touch {}`", marker.display(), marker.display());
    let run = start(&t.engine, "env", &[("WHO", &evil)]).await;
    let run = wait_end(&t.engine, run.id).await;
    assert_eq!(run.status, RunStatus::Succeeded);
    let text = log_text(&t.engine, run.id).await;
    assert!(text.contains(&evil), "the value is printed verbatim: {text:?}");
    assert!(text.contains(&format!("id={} number=1 template=env", run.id)), "{text:?}");
    assert!(!marker.exists(), "the value must never be interpreted by a shell");
}

#[tokio::test]
async fn a_failing_command_fails_the_run_with_its_exit_code() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: fails\nscript: |\n  echo before\n  sh -c 'exit 3'\n  echo after\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "fails", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Failed);
    assert_eq!(run.exit_code, Some(3));
    let text = log_text(&t.engine, run.id).await;
    assert!(text.contains(&"before".to_string()));
    assert!(!text.contains(&"after".to_string()), "scripts run with `sh -e`: the first failing command ends them");
}

#[tokio::test]
async fn each_run_gets_its_own_working_directory() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: pwd\nscript: pwd\n").await;
    let a = wait_end(&t.engine, start(&t.engine, "pwd", &[]).await.id).await;
    let b = wait_end(&t.engine, start(&t.engine, "pwd", &[]).await.id).await;
    assert_ne!(a.workdir, b.workdir);
    let out = log_text(&t.engine, a.id).await;
    assert!(out.contains(a.workdir.as_ref().unwrap()), "the script starts in its run's workspace: {out:?}");
    assert_eq!((a.number, b.number), (1, 2), "runs are numbered per template");
}

#[tokio::test]
async fn cancel_stops_children_grandchildren_and_escaped_daemons() {
    let t = engine().await;
    apply(
        &t.engine,
        "kind: shell\nname: tree\nscript: |\n  (sleep 300; echo never) &\n  sh -c 'sleep 301 & sleep 302' &\n  setsid sleep 303 &\n  echo started\n  while true; do sleep 0.1; done\n",
    )
    .await;
    let run = start(&t.engine, "tree", &[]).await;
    wait_for_line(&t.engine, run.id, "started").await;
    let key = run_key(&t, run.id).await;
    assert!(processes_with_env("SIMPLE_CICD_RUN_KEY", &key).len() >= 5, "the script and its children are running");
    api::run_cancel(&t.engine, &me(), run.id).await.expect("cancel accepted");
    let run = wait_end(&t.engine, run.id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    assert_eq!(
        processes_with_env("SIMPLE_CICD_RUN_KEY", &key),
        Vec::<i32>::new(),
        "no process of a cancelled run survives"
    );
}

#[tokio::test]
async fn a_script_that_ignores_sigterm_is_killed_after_the_grace_period() {
    let t = engine().await;
    apply(
        &t.engine,
        "kind: shell\nname: stubborn\nscript: |\n  trap '' TERM\n  echo ready\n  while true; do sleep 0.1; done\n",
    )
    .await;
    let run = start(&t.engine, "stubborn", &[]).await;
    wait_for_line(&t.engine, run.id, "ready").await;
    let started = Instant::now();
    api::run_cancel(&t.engine, &me(), run.id).await.unwrap();
    let run = wait_end(&t.engine, run.id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    assert_eq!(run.exit_code, Some(137), "SIGKILL ended it");
    assert!(started.elapsed() >= Duration::from_millis(900), "SIGKILL waits for the grace period (1 s here)");
}

#[tokio::test]
async fn a_run_past_its_timeout_ends_timed_out() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: slow\ntimeoutSeconds: 1\nscript: |\n  sleep 30 &\n  sleep 30\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "slow", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::TimedOut);
    assert!(run.error.unwrap().contains("timeout of 1s"));
    let key = run_key_by_id(&t, run.id).await;
    assert!(processes_with_env("SIMPLE_CICD_RUN_KEY", &key).is_empty(), "nothing outlives a timed-out run");
}

#[tokio::test]
async fn a_daemon_that_left_the_group_of_a_finished_script_is_stopped() {
    let t = engine().await;
    // The script's group is gone when it ends; the daemon is found by the run's key alone.
    apply(&t.engine, "kind: shell\nname: escapes\nscript: |\n  setsid sleep 300 &\n  echo done\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "escapes", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "the script itself succeeded");
    let key = run_key_by_id(&t, run.id).await;
    assert!(processes_with_env("SIMPLE_CICD_RUN_KEY", &key).is_empty(), "the escaped daemon did not outlive it");
    assert!(log_text(&t.engine, run.id).await.iter().any(|l| l.contains("left running")), "the log says so");
}

#[tokio::test]
async fn background_jobs_left_by_a_finished_script_are_stopped() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: leaves\nscript: |\n  sleep 300 &\n  echo done\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "leaves", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "the script itself succeeded");
    let key = run_key_by_id(&t, run.id).await;
    assert!(processes_with_env("SIMPLE_CICD_RUN_KEY", &key).is_empty(), "its background job did not outlive it");
    assert!(log_text(&t.engine, run.id).await.iter().any(|l| l.contains("left running")), "the log says so");
}

#[tokio::test]
async fn cancelling_a_run_that_already_ended_is_a_clear_error() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: quick\nscript: 'true'\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "quick", &[]).await.id).await;
    let err = api::run_cancel(&t.engine, &me(), run.id).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyEnded { .. }), "{err}");
    assert!(err.to_string().contains("already ended (succeeded)"), "{err}");
}

#[tokio::test]
async fn a_missing_absolute_workdir_fails_the_run_with_a_reason() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: nowhere\nworkdir: /definitely/not/here\nscript: pwd\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "nowhere", &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Failed);
    assert!(run.error.unwrap().contains("/definitely/not/here does not exist"));
}

#[tokio::test]
async fn a_second_engine_leaves_runs_of_a_live_engine_alone() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: busy\nscript: |\n  echo up\n  sleep 30\n").await;
    let run = start(&t.engine, "busy", &[]).await;
    wait_for_line(&t.engine, run.id, "up").await;
    let other = open(&t.dir).await;
    assert_eq!(api::run_get(&other, run.id).await.unwrap().status, RunStatus::Running, "its owner is alive");
    api::run_cancel(&other, &me(), run.id).await.expect("another process may cancel it");
    let run = wait_end(&t.engine, run.id).await;
    assert_eq!(run.status, RunStatus::Cancelled, "the owner acted on the cancel request");
}

async fn run_key(t: &TestEngine, id: i64) -> String {
    run_key_by_id(t, id).await
}

async fn run_key_by_id(t: &TestEngine, id: i64) -> String {
    let db = t.dir.path().join("simple-cicd.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let (key,): (String,) =
        sqlx::query_as("SELECT run_key FROM runs WHERE id = ?").bind(id).fetch_one(&pool).await.unwrap();
    pool.close().await;
    key
}
