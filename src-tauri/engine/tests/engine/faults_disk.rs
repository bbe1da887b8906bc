//! The disk filling during a deploy: the engine's data directory (database, workspaces, the
//! launch's files) on a small tmpfs of the test's own, filled to the last byte while compose
//! waits for the new revision's health, and freed after a while (or once the run ended). The run
//! ends failed with a message saying the disk is full and what to do (or, when space came back in
//! time, succeeded with its revision recorded); either way the log up to the fault is kept, the
//! revisions agree with what runs, and once space is freed the data directory serves other runs.
//! Needs root (mount), as CI runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use simple_cicd_engine::api;
use simple_cicd_engine::model::RunStatus;

use crate::docker_support::*;
use crate::fault_outcome::*;
use crate::support::*;

/// A tmpfs of `mb` MiB mounted on a temp dir, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(mb: u32) -> SmallDisk {
        let dir = tempfile::Builder::new().prefix("scicd-disk").tempdir().unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m,mode=0700"), "scicd-fault-disk"])
            .arg(dir.path())
            .output()
            .expect("mount runs");
        assert!(
            out.status.success(),
            "the disk fault test mounts a tmpfs (it needs root, as CI runs): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file until the disk refuses another byte; returns it.
    fn fill(&self) -> PathBuf {
        let path = self.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        while f.write_all(&small[..1]).is_ok() {}
        path
    }
}

/// Takes the test's stack down however the test ends (the shared daemon keeps nothing of it).
struct StackDown(String);

impl Drop for StackDown {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["compose", "-p", &self.0, "down", "-t", "1"]).output();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

fn stack(project: &str, message: &str) -> String {
    format!(
        "kind: compose\nname: {project}\nproject: {project}\nwaitSeconds: 60\ncompose: |\n  services:\n    web:\n      image: {BASE_IMAGE}\n      command: [\"sh\", \"-c\", \"echo {message}; sleep 3; touch /ready; exec sleep 600\"]\n      labels: {{ message: {message} }}\n      healthcheck:\n        test: [\"CMD\", \"test\", \"-f\", \"/ready\"]\n        interval: 1s\n        retries: 30\n"
    )
}

async fn running_label(project: &str) -> String {
    let out = tokio::process::Command::new("docker")
        .args(["ps", "--filter", &format!("label=com.docker.compose.project={project}")])
        .args(["--format", "{{.Label \"message\"}}"])
        .output()
        .await
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[tokio::test]
async fn the_disk_filling_during_a_compose_deploy_ends_the_run_saying_so_and_keeps_revisions_consistent() {
    base_image().await;
    let disk = SmallDisk::mount(48);
    let engine = simple_cicd_engine::Engine::open(simple_cicd_engine::EngineOptions {
        data_dir: Some(disk.path().join("data")),
        cancel_grace: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await
    .expect("the engine opens on the small disk");
    let project = unique("fullstack");
    let _down = StackDown(project.clone());
    apply(&engine, &stack(&project, "one")).await;
    let first = wait_end(&engine, start(&engine, &project, &[]).await.id).await;
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", log_text(&engine, first.id).await);

    apply(&engine, &stack(&project, "two")).await;
    let run = start(&engine, &project, &[]).await;
    wait_for_line(&engine, run.id, "up -d").await;
    let fault = Instant::now();
    let filler = disk.fill();
    // The run ends on the full disk, or (when not even its end can be written) waits for space:
    // the user frees some after a while.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !api::run_get(&engine, run.id).await.is_ok_and(|r| r.status.is_final())
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::remove_file(&filler).unwrap();
    let run = wait_end(&engine, run.id).await;
    let running = running_label(&project).await;
    let detail = api::app_get(&engine, &project).await;
    report_run("disk full during a compose deploy", &run, &[], fault);

    let log = log_text(&engine, run.id).await;
    // Space came back before the launch had to give up (its writes are retried): a success, whose
    // revision must then be recorded (checked below). Otherwise: failed, saying the disk is full.
    if run.status != RunStatus::Succeeded {
        assert!(run.error.as_deref().is_some_and(|e| e.contains("full")), "{:?}\n{log:#?}", run.error);
        message_says(&run, &["full"], &["free"]);
    }
    assert!(log.iter().any(|l| l.contains("up -d")), "the log up to the fault is kept: {log:?}");
    let detail = detail.expect("the app can be read while the disk is full");
    let newest = detail.revisions.first().expect("revision 1 at least");
    let recorded: Vec<_> = newest.services.iter().map(|s| s.pinned.clone()).collect();
    assert!(
        (newest.number == 2 && running == "two") || (newest.number == 1 && detail.drifted),
        "the revisions say what runs (running {running}, newest #{} {recorded:?}, drifted {})",
        newest.number,
        detail.drifted
    );
    // Space freed, the same engine serves runs again.
    still_serves(&engine).await;
    api::app_action(&engine, &me(), &project, api::AppAction::Down)
        .await
        .expect("the app can be taken down afterwards");
}

/// The disk filling while a run writes its log, without Docker: SQLite rolls the log's
/// transaction back by itself on a full disk, and the connection that met it must not keep a write
/// transaction open afterwards (it did: every later write of the engine waited on it and failed
/// "database is locked", the run's own end included).
#[tokio::test]
async fn once_space_is_freed_the_same_engine_serves_runs_again_after_a_full_disk() {
    let disk = SmallDisk::mount(16);
    let engine = simple_cicd_engine::Engine::open(simple_cicd_engine::EngineOptions {
        data_dir: Some(disk.path().join("data")),
        cancel_grace: Some(Duration::from_secs(1)),
        ..Default::default()
    })
    .await
    .expect("the engine opens on the small disk");
    let script =
        "i=0\n  while [ $i -lt 400 ]; do head -c 3000 /dev/urandom | base64 -w 0; echo; i=$((i+1)); sleep 0.01; done";
    apply(&engine, &format!("kind: shell\nname: chatty\nscript: |\n  echo started\n  {script}\n")).await;
    let run = start(&engine, "chatty", &[]).await;
    wait_for_line(&engine, run.id, "started").await;
    let filler = disk.fill();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !api::run_get(&engine, run.id).await.is_ok_and(|r| r.status.is_final())
        && tokio::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    std::fs::remove_file(&filler).unwrap();
    let run = wait_end(&engine, run.id).await;
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    message_says(&run, &["full"], &["free"]);
    assert!(log_text(&engine, run.id).await.iter().any(|l| l == "started"), "the log up to the fault is kept");
    still_serves(&engine).await;
}
