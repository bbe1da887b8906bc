//! Faults: a full disk while a log is written.

use simple_cicd_engine::api;
use simple_cicd_engine::model::RunStatus;

use crate::support::*;

#[tokio::test]
async fn a_full_disk_while_logging_fails_the_run_with_a_clear_error_and_leaves_nothing_running() {
    let t = engine().await;
    // More than 400 pages of log however it is stored: chunks are compressed (a million lines of
    // seq fit in 400 pages now), and random bytes do not compress (5.4 MB of base64 lines).
    apply(&t.engine, "kind: shell\nname: chatty\nscript: |\n  sleep 300 &\n  head -c 4000000 /dev/urandom | base64\n")
        .await;
    let full = full_disk_engine(&t, 400).await;
    let run = api::run_start(&full, &me(), "chatty", &params(&[])).await.unwrap();
    let run = wait_end(&full, run.id).await;
    assert_eq!(run.status, RunStatus::Failed, "a run whose log was not kept is not a success");
    let error = run.error.clone().expect("the run says why");
    assert!(error.contains("cannot store the log") && error.contains("full"), "{error}");
    assert!(run.log_lines > 0, "what could be stored was stored: {run:?}");
    let stored = api::run_logs(&full, run.id, 1, usize::MAX).await.unwrap();
    assert!(stored.windows(2).all(|w| w[1].seq == w[0].seq + 1), "no holes in what was kept");
    assert!(processes_with_env("SIMPLE_CICD_TEMPLATE", "chatty").is_empty(), "nothing left running");
}
