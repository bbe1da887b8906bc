//! Shared set-up: an engine on a fresh data directory, templates from YAML, waiting for runs.

use std::collections::BTreeMap;
use std::time::Duration;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{LogLine, Run};
use simple_cicd_engine::notify::NotifyOptions;
use simple_cicd_engine::{api, Engine, EngineOptions};
use tempfile::TempDir;

pub struct TestEngine {
    pub engine: Engine,
    pub dir: TempDir,
}

pub async fn engine() -> TestEngine {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = open(&dir).await;
    TestEngine { engine, dir }
}

pub async fn open(dir: &TempDir) -> Engine {
    open_with(dir, NotifyOptions::default()).await
}

/// An engine on a fresh directory that notifies as told.
pub async fn engine_with(notify: NotifyOptions) -> TestEngine {
    let dir = tempfile::tempdir().expect("temp dir");
    let engine = open_with(&dir, notify).await;
    TestEngine { engine, dir }
}

pub async fn open_with(dir: &TempDir, notify: NotifyOptions) -> Engine {
    Engine::open(EngineOptions {
        data_dir: Some(dir.path().to_path_buf()),
        cancel_grace: Some(Duration::from_secs(1)),
        notify,
        ..EngineOptions::default()
    })
    .await
    .expect("engine opens on a fresh directory")
}

/// The caller of the tests' own calls: the desktop's OS user, who may do everything.
pub fn me() -> Caller {
    Caller::desktop()
}

/// The trigger of a rollback to revision `n` asked by [`me`].
pub fn rollback_trigger(n: u32) -> String {
    format!("rollback to #{n} by {}", me().person())
}

pub async fn apply(engine: &Engine, yaml: &str) {
    api::template_apply_yaml(engine, &me(), yaml).await.expect("the test template is valid");
}

pub fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub async fn start(engine: &Engine, name: &str, pairs: &[(&str, &str)]) -> Run {
    api::run_start(engine, &me(), name, &params(pairs)).await.expect("the run starts")
}

pub async fn wait_end(engine: &Engine, id: i64) -> Run {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let run = api::run_get(engine, id).await.expect("run exists");
        if run.status.is_final() && engine.active_runs().is_empty() {
            return run;
        }
        assert!(tokio::time::Instant::now() < deadline, "run {id} did not end within 60 s: {run:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn wait_for_line(engine: &Engine, id: i64, needle: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if log_text(engine, id).await.iter().any(|l| l.contains(needle)) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "`{needle}` never appeared in run {id}'s log");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn log_lines(engine: &Engine, id: i64) -> Vec<LogLine> {
    api::run_logs(engine, id, 1, usize::MAX).await.expect("log readable")
}

pub async fn log_text(engine: &Engine, id: i64) -> Vec<String> {
    log_lines(engine, id).await.into_iter().map(|l| l.text).collect()
}

/// Processes on this machine whose environment holds `NAME=value`.
pub fn processes_with_env(name: &str, value: &str) -> Vec<i32> {
    let needle = format!("{name}={value}");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        if stat.rsplit(')').next().is_some_and(|r| r.trim_start().starts_with('Z')) {
            continue;
        }
        if let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) {
            if env.split(|b| *b == 0).any(|v| v == needle.as_bytes()) {
                found.push(pid);
            }
        }
    }
    found
}

/// Puts the engine's secrets in the encrypted file (for tests where the keyring is not the point).
pub async fn file_secrets(engine: &Engine) {
    simple_cicd_engine::settings::config_set(engine, &me(), "secrets.backend", "file").await.unwrap();
    // Every test of this binary that uses the file store sets this same value, so concurrent
    // set_var calls cannot change what another test reads.
    #[allow(unsafe_code)]
    // SAFETY: see above; the value is identical for every writer.
    unsafe {
        std::env::set_var(simple_cicd_engine::secrets::SECRETS_KEY_ENV, "an engine test passphrase");
    }
}

/// Adds a repository.
pub async fn add_repo(engine: &Engine, input: simple_cicd_engine::model::RepositoryInput) {
    api::repo_save(engine, &me(), input, false).await.expect("the test repository is valid");
}

/// A second engine on `t`'s data whose database can grow by only `pages` pages: a disk that is
/// "full" partway through a run.
pub async fn full_disk_engine(t: &TestEngine, pages: u32) -> Engine {
    let db = t.dir.path().join("simple-cicd.db");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let (now,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(&pool).await.unwrap();
    pool.close().await;
    Engine::open(EngineOptions {
        data_dir: Some(t.dir.path().into()),
        cancel_grace: Some(Duration::from_secs(1)),
        db_page_limit: Some(now as u32 + pages),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Starts an sshd on loopback and adds endpoint `name` reaching the local daemon through it as
/// root, with its key stored (file secrets). The endpoint works as long as the sshd is kept.
pub async fn ssh_endpoint(engine: &Engine, name: &str) -> crate::docker_support::TestSshd {
    file_secrets(engine).await;
    let sshd = crate::docker_support::TestSshd::start().await;
    let url = format!("ssh://root@127.0.0.1:{}", sshd.port);
    crate::docker_support::add_endpoint(
        engine,
        simple_cicd_engine::model::NewEndpoint {
            name: name.into(),
            url,
            ssh_key: Some(sshd.key.clone()),
            ..Default::default()
        },
    )
    .await;
    sshd
}
