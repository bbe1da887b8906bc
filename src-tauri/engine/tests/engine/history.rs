//! The history: listing, filtering, counting; runs outlive their templates.

use simple_cicd_engine::api;
use simple_cicd_engine::model::{RunFilter, RunStatus};

use crate::support::*;

#[tokio::test]
async fn the_history_filters_by_template_and_status_and_pages() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: ok\nscript: 'true'\n").await;
    apply(&t.engine, "kind: shell\nname: ko\nscript: 'false'\n").await;
    for _ in 0..3 {
        wait_end(&t.engine, start(&t.engine, "ok", &[]).await.id).await;
    }
    wait_end(&t.engine, start(&t.engine, "ko", &[]).await.id).await;
    let all = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
    assert_eq!(all.total, 4);
    assert!(all.runs.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let failed =
        api::run_list(&t.engine, &RunFilter { status: Some(RunStatus::Failed), ..Default::default() }).await.unwrap();
    assert_eq!((failed.total, failed.runs[0].template.as_str()), (1, "ko"));
    let page =
        api::run_list(&t.engine, &RunFilter { template: Some("ok".into()), limit: 2, offset: 2, ..Default::default() })
            .await
            .unwrap();
    assert_eq!((page.total, page.runs.len(), page.runs[0].number), (3, 1, 1));
    let stats = api::dashboard_stats(&t.engine).await.unwrap();
    assert_eq!(stats.counts.len(), RunStatus::ALL.len(), "every status is counted, zeros included");
    assert_eq!(stats.counts.iter().find(|c| c.status == RunStatus::Succeeded).unwrap().count, 3);
    assert_eq!(stats.template_count, 2);
}

#[tokio::test]
async fn a_deleted_template_keeps_its_runs_in_the_history() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: gone\nscript: echo hi\n").await;
    let run = wait_end(&t.engine, start(&t.engine, "gone", &[]).await.id).await;
    api::template_delete(&t.engine, &me(), "gone").await.unwrap();
    let kept = api::run_get(&t.engine, run.id).await.unwrap();
    assert_eq!((kept.template.as_str(), kept.template_id), ("gone", None));
    assert!(log_text(&t.engine, run.id).await.contains(&"hi".to_string()), "its log stays too");
}

#[tokio::test]
async fn renaming_a_template_carries_its_runs_and_numbering() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: before\nscript: 'true'\n").await;
    wait_end(&t.engine, start(&t.engine, "before", &[]).await.id).await;
    let mut spec = api::template_get(&t.engine, "before").await.unwrap().spec;
    spec.name = "after".into();
    api::template_save(&t.engine, &me(), spec.into(), Some("before")).await.unwrap();
    let next = wait_end(&t.engine, start(&t.engine, "after", &[]).await.id).await;
    assert_eq!(next.number, 2, "numbering continues under the new name");
    let list = api::template_list(&t.engine).await.unwrap();
    assert_eq!(list[0].last_run.as_ref().unwrap().id, next.id);
}

#[tokio::test]
async fn retention_keeps_the_newest_runs_per_template_and_removes_their_workspaces() {
    let t = engine().await;
    simple_cicd_engine::settings::config_set(&t.engine, &me(), "retention.maxRunsPerTemplate", "2").await.unwrap();
    apply(&t.engine, "kind: shell\nname: keep\nscript: echo data > file.txt\n").await;
    let mut ids = Vec::new();
    for _ in 0..4 {
        ids.push(wait_end(&t.engine, start(&t.engine, "keep", &[]).await.id).await.id);
    }
    let report = simple_cicd_engine::retention::storage_cleanup(&t.engine, &me(), None).await.unwrap();
    let left = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
    assert_eq!(left.runs.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[3], ids[2]], "the newest two stay");
    assert!(report.removed_runs <= 2, "runs already trimmed after each end are not counted twice");
    assert!(!t.dir.path().join("workspaces").join(ids[0].to_string()).exists(), "their workspaces are gone");
    assert!(api::run_logs(&t.engine, ids[0], 1, 10).await.is_err(), "their logs are gone");
    let usage = simple_cicd_engine::retention::storage_usage(&t.engine).await.unwrap();
    assert_eq!(usage.run_count, 2);
    assert!(usage.log_bytes > 0 && usage.database_bytes > usage.log_bytes);
}

#[tokio::test]
async fn a_run_end_trims_its_template_to_the_retention_limit_without_waiting_for_a_cleanup() {
    let t = engine().await;
    simple_cicd_engine::settings::config_set(&t.engine, &me(), "retention.maxRunsPerTemplate", "2").await.unwrap();
    apply(&t.engine, "kind: shell\nname: busy\nscript: echo data > file.txt\n").await;
    apply(&t.engine, "kind: shell\nname: quiet\nscript: 'true'\n").await;
    let quiet = wait_end(&t.engine, start(&t.engine, "quiet", &[]).await.id).await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(wait_end(&t.engine, start(&t.engine, "busy", &[]).await.id).await.id);
    }
    // The trim follows the run's end: wait for it, within a bound (no timing is measured).
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    let left = loop {
        let left = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
        if left.total <= 3 || tokio::time::Instant::now() > deadline {
            break left;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(
        left.runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        [ids[4], ids[3], quiet.id],
        "the busy template keeps its newest two, the other template is untouched"
    );
    assert!(!t.dir.path().join("workspaces").join(ids[0].to_string()).exists(), "trimmed runs' workspaces are gone");
    assert!(api::run_logs(&t.engine, ids[0], 1, 10).await.is_err(), "and their logs");
}

#[tokio::test]
async fn the_runs_list_shows_what_another_process_changed_at_once() {
    let t = engine().await;
    apply(&t.engine, "kind: shell\nname: ok\nscript: 'true'\n").await;
    wait_end(&t.engine, start(&t.engine, "ok", &[]).await.id).await;
    let before = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
    assert_eq!(before, api::run_list(&t.engine, &RunFilter::default()).await.unwrap(), "the same page twice");
    // Another engine on the same data directory stands for another process (a `scicd` worker).
    let other = open(&t.dir).await;
    let run = wait_end(&other, start(&other, "ok", &[]).await.id).await;
    let after = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
    assert_eq!((after.total, after.runs[0].id), (before.total + 1, run.id), "the new run is listed");
    // A change of a listed run (not only a new one) shows too.
    apply(&other, "kind: shell\nname: slow\nscript: sleep 30\n").await;
    let slow = start(&other, "slow", &[]).await;
    while api::run_get(&t.engine, slow.id).await.unwrap().status != RunStatus::Running {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let listed = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
    assert_eq!((listed.runs[0].id, listed.runs[0].status), (slow.id, RunStatus::Running));
    api::run_cancel(&other, &me(), slow.id).await.unwrap();
    wait_end(&other, slow.id).await;
    let listed = api::run_list(&t.engine, &RunFilter::default()).await.unwrap();
    assert_eq!(listed.runs[0].status, RunStatus::Cancelled, "{:?}", listed.runs[0]);
}
