//! Retention and app revisions: whatever retention.* says, the last `apps.keepRevisions`
//! successful revisions of each app and the runs that launched them survive a cleanup; revisions
//! older than those go. The runs are real runs of a shell template; the revisions pointing at them
//! are written into the same SQLite file (a compose launch per revision would take minutes).

use simple_cicd_engine::{api, retention, settings};
use sqlx::sqlite::SqlitePool;

use crate::support::*;

/// Runs template `name` (a `true` script) `n` times; their ids, oldest first.
async fn runs(t: &TestEngine, name: &str, n: usize) -> Vec<i64> {
    apply(&t.engine, &format!("kind: shell\nname: {name}\nscript: \"true\"\n")).await;
    let mut ids = Vec::new();
    for _ in 0..n {
        ids.push(wait_end(&t.engine, start(&t.engine, name, &[]).await.id).await.id);
    }
    ids
}

/// Records app `name` with one revision per (status, run), numbered from 1.
async fn revisions(db: &SqlitePool, name: &str, launches: &[(&str, i64)]) {
    let (app,): (i64,) = sqlx::query_as(
        "INSERT INTO apps (kind, name, target, template_name, created_at) VALUES ('compose', ?, 'local', ?, 0) RETURNING id",
    )
    .bind(name)
    .bind(name)
    .fetch_one(db)
    .await
    .unwrap();
    for (i, (status, run)) in launches.iter().enumerate() {
        sqlx::query(
            "INSERT INTO app_revisions (app_id, number, run_id, step_idx, trigger, config, services, status, created_at) \
             VALUES (?, ?, ?, 0, 'test', 'services: {}', '[]', ?, 0)",
        )
        .bind(app)
        .bind(i as i64 + 1)
        .bind(run)
        .bind(status)
        .execute(db)
        .await
        .unwrap();
    }
}

async fn run_ids(t: &TestEngine, template: &str) -> Vec<i64> {
    let filter = simple_cicd_engine::model::RunFilter {
        template: Some(template.to_string()),
        limit: 1000,
        ..Default::default()
    };
    let mut ids: Vec<i64> = api::run_list(&t.engine, &filter).await.unwrap().runs.iter().map(|r| r.id).collect();
    ids.sort();
    ids
}

async fn numbers(t: &TestEngine, app: &str) -> Vec<u32> {
    let mut n: Vec<u32> = api::app_get(&t.engine, app).await.unwrap().revisions.iter().map(|r| r.number).collect();
    n.sort();
    n
}

#[tokio::test]
async fn cleanup_keeps_the_last_successful_revisions_of_each_app_and_their_runs_and_prunes_older_ones() {
    let t = engine().await;
    assert_eq!(settings::int(&t.engine, "apps.keepRevisions").await, 10, "ten revisions are kept by default");
    let shop_runs = runs(&t, "shop", 14).await;
    let blog_runs = runs(&t, "blog", 2).await;
    let db = SqlitePool::connect(&format!("sqlite://{}", t.dir.path().join("simple-cicd.db").display())).await.unwrap();
    // shop: #12 and #14 failed; the last three successful ones are #13, #11 and #10.
    let launches: Vec<(&str, i64)> = shop_runs
        .iter()
        .enumerate()
        .map(|(i, run)| (if i + 1 == 12 || i + 1 == 14 { "failed" } else { "deployed" }, *run))
        .collect();
    revisions(&db, "shop", &launches).await;
    revisions(&db, "blog", &[("deployed", blog_runs[0]), ("deployed", blog_runs[1])]).await;
    settings::config_set(&t.engine, &me(), "apps.keepRevisions", "3").await.unwrap();
    settings::config_set(&t.engine, &me(), "retention.maxRunsPerTemplate", "1").await.unwrap();

    let report = retention::storage_cleanup(&t.engine, &me(), None).await.unwrap();

    assert_eq!(numbers(&t, "shop").await, [10, 11, 12, 13, 14], "revisions older than the third-last good one go");
    assert_eq!(report.removed_revisions, 9, "#1 to #9 were removed: {report:?}");
    let run = |n: usize| shop_runs[n - 1];
    assert_eq!(
        run_ids(&t, "shop").await,
        [run(10), run(11), run(13), run(14)],
        "the runs of the kept good revisions stay, beside the newest run that retention keeps anyway"
    );
    let detail = api::app_get(&t.engine, "shop").await.unwrap();
    let twelve = detail.revisions.iter().find(|r| r.number == 12).unwrap();
    assert_eq!(twelve.run_id, None, "a failed revision's run is not protected; the revision stays, its run gone");
    assert_eq!(numbers(&t, "blog").await, [1, 2], "an app with fewer good revisions than kept loses none");
    assert_eq!(run_ids(&t, "blog").await, blog_runs, "both blog runs back a kept revision");

    let again = retention::storage_cleanup(&t.engine, &me(), None).await.unwrap();
    assert_eq!((again.removed_runs, again.removed_revisions), (0, 0), "a second cleanup finds nothing: {again:?}");
    let next = wait_end(&t.engine, start(&t.engine, "shop", &[]).await.id).await;
    retention::storage_cleanup(&t.engine, &me(), Some("shop")).await.unwrap();
    assert_eq!(
        run_ids(&t, "shop").await,
        [run(10), run(11), run(13), next.id],
        "a cleanup of one template keeps the apps' runs too"
    );
}
