//! The data directory and the database file.

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
