//! The data directory and the database file.

use crate::support::me;
use simple_cicd_engine::{Engine, EngineOptions, Error};

#[tokio::test]
async fn a_data_dir_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let err = Engine::open(EngineOptions { data_dir: Some(file.join("data")), ..Default::default() })
        .await
        .err()
        .expect("cannot open under a file");
    assert!(matches!(err, Error::DataDir { .. }), "{err}");
    // The engine says what happened; each door adds how to choose another directory (`--data-dir`
    // for scicd, SIMPLE_CICD_DATA_DIR in the desktop app's dialog).
    assert!(err.to_string().contains("a-file/data: Not a directory"), "{err}");
    assert!(!err.to_string().contains("--data-dir"), "no door's flag in the engine's message: {err}");
    assert_eq!(err.code(), "data_dir");
    assert!(err.params()["path"].ends_with("a-file/data"), "{:?}", err.params());
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
    drop(engine);
    let db = dir.path().join("simple-cicd.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'future', 1, x'00', 0)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let err = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() })
        .await
        .err()
        .expect("refused");
    assert!(matches!(err, Error::NewerSchema { found: 9999, .. }), "{err}");
    assert!(err.to_string().contains("upgrade simple-cicd"), "{err}");
}

#[tokio::test]
async fn a_data_directory_of_the_previous_release_is_upgraded_with_its_templates_and_runs() {
    // The database as the previous release (schema 5) left it: its migrations, a template and a run.
    let dir = tempfile::tempdir().unwrap();
    let old_migrations = tempfile::tempdir().unwrap();
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&here).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.as_str() < "0006" {
            std::fs::copy(entry.path(), old_migrations.path().join(&name)).unwrap();
        }
    }
    let db = dir.path().join("simple-cicd.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&db).create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old_migrations.path()).await.unwrap().run(&pool).await.unwrap();
    let spec = r#"{"kind":"shell","name":"hello","description":"","source":null,"triggers":[],"params":[],"workdir":null,"timeoutSeconds":null,"concurrency":"parallel","script":"echo hi\n","notify":[]}"#;
    sqlx::query("INSERT INTO templates (name, kind, spec, created_at, updated_at) VALUES ('hello', 'shell', ?, 1, 1)")
        .bind(spec)
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO runs (template_id, template_name, number, status, trigger, params, spec, queued_at, started_at, finished_at, exit_code, run_key) \
         VALUES (1, 'hello', 1, 'succeeded', 'manual', '{}', ?, 1, 2, 3, 0, 'k')",
    )
    .bind(spec)
    .execute(&pool)
    .await
    .unwrap();
    // A docker-build template with a `workdir` (accepted and ignored then), and a run of it that
    // built and pushed an image on an endpoint: schema 5 kept those on the run.
    let build = r#"{"kind":"docker-build","name":"img","workdir":"x","tags":["localhost:5000/img:1","localhost:5000/img:latest"],"push":{"registry":"local"},"script":"","notify":[]}"#;
    sqlx::query(
        "INSERT INTO templates (name, kind, spec, created_at, updated_at) VALUES ('img', 'docker-build', ?, 1, 1)",
    )
    .bind(build)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO runs (template_id, template_name, number, status, trigger, params, spec, queued_at, started_at, finished_at, exit_code, run_key, \
         image_id, image_tags, image_digest, docker_endpoint) \
         VALUES (2, 'img', 1, 'failed', 'manual', '{}', ?, 1, 2, 3, NULL, 'k2', 'sha256:abc', '[\"localhost:5000/img:1\",\"localhost:5000/img:latest\"]', NULL, 'local')",
    )
    .bind(build)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let engine = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
    let tpl = simple_cicd_engine::api::template_get(&engine, "hello").await.expect("the template is intact");
    assert_eq!(simple_cicd_engine::model::TemplateFile::from(tpl.spec).script, "echo hi\n");
    let run = simple_cicd_engine::api::run_get(&engine, 1).await.expect("the run is intact");
    assert_eq!((run.number, run.status.as_str(), run.retry_of), (1, "succeeded", None));
    assert!(simple_cicd_engine::api::run_steps(&engine, 1).await.unwrap().is_empty(), "a one-step run has no steps");
    let again = simple_cicd_engine::api::run_start(&engine, &me(), "hello", &Default::default()).await.unwrap();
    assert_eq!(again.number, 2, "the upgraded data directory keeps numbering runs");

    let img =
        simple_cicd_engine::api::template_get(&engine, "img").await.expect("a template with an ignored field loads");
    assert_eq!(img.spec.kind(), simple_cicd_engine::model::TemplateKind::DockerBuild);
    let built = simple_cicd_engine::api::run_get(&engine, 2).await.unwrap();
    assert_eq!(built.image_id.as_deref(), Some("sha256:abc"), "the image moved to the run's step");
    assert_eq!(built.image_tags, ["localhost:5000/img:1", "localhost:5000/img:latest"]);
    assert_eq!((built.image_digest, built.steps_total), (None, 0));
    let pool = sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&db)).await.unwrap();
    let steps: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT run_id, name, kind, status, endpoint FROM run_steps WHERE run_id IN (1, 2) ORDER BY run_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        steps,
        [
            (1, "hello".into(), "shell".into(), "succeeded".into(), None),
            (2, "img".into(), "docker-build".into(), "failed".into(), Some("local".into())),
        ],
        "every old run became a one-step run"
    );
    let columns: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM pragma_table_info('runs') WHERE name LIKE 'image%' OR name = 'docker_endpoint'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(columns.is_empty(), "the Docker columns left `runs`: {columns:?}");
}
