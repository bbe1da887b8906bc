//! Running `scicd` against a fresh data directory.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Scicd {
    pub dir: tempfile::TempDir,
}

impl Scicd {
    pub fn new() -> Scicd {
        Scicd { dir: tempfile::tempdir().unwrap() }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_scicd"));
        c.arg("--data-dir")
            .arg(self.dir.path())
            .env("SIMPLE_CICD_CANCEL_GRACE_SECONDS", "2")
            .env_remove("SIMPLE_CICD_DATA_DIR");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).stdin(Stdio::null()).output().expect("scicd runs")
    }

    pub fn apply(&self, yaml: &str) {
        let path = self.dir.path().join(format!("t{}.yaml", rand_suffix()));
        std::fs::write(&path, yaml).unwrap();
        let out = self.run(&["template", "apply", "-f", path.to_str().unwrap()]);
        assert!(out.status.success(), "apply failed: {}", stderr(&out));
    }

    pub fn run_json(&self, id: i64) -> serde_json::Value {
        let out = self.run(&["runs", "show", &id.to_string(), "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }

    pub fn wait_status(&self, id: i64, done: impl Fn(&str) -> bool) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let run = self.run_json(id);
            if done(run["status"].as_str().unwrap()) {
                return run;
            }
            assert!(Instant::now() < deadline, "run {id} stuck: {run}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Live processes whose environment holds `SIMPLE_CICD_TEMPLATE=<template>` and whose cwd is under `dir`.
pub fn leftovers(dir: &Path) -> Vec<i32> {
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
        if std::fs::read_link(format!("/proc/{pid}/cwd")).is_ok_and(|cwd| cwd.starts_with(dir)) {
            found.push(pid);
        }
    }
    found
}
