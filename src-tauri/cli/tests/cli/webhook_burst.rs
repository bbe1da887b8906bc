//! A burst of webhook deliveries against a real `scicd serve`, 10% of them replays and 10%
//! forged, the server killed with SIGKILL halfway and started again on the same data directory
//! (the burst itself is the load generator's, `examples/webhook_load/burst.rs`).
//! `SIMPLE_CICD_BURST` sets the number of deliveries (2,000 by default; the benchmark sends 10,000).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::burst::{self, Burst};
use crate::support::*;

const KEY: &str = "a cli test passphrase";

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Cli Tester")
        .env("GIT_AUTHOR_EMAIL", "cli@example.com")
        .env("GIT_COMMITTER_NAME", "Cli Tester")
        .env("GIT_COMMITTER_EMAIL", "cli@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_burst_killed_halfway_queues_one_run_per_valid_delivery_and_loses_none_answered_202() {
    let s = Scicd::new();
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "-q", "-b", "main"]);
    std::fs::write(repo.path().join("f"), "1").unwrap();
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "one"]);
    let sha = git(repo.path(), &["rev-parse", "HEAD"]);
    assert!(s.run(&["config", "set", "secrets.backend", "file"]).status.success());
    assert!(s.run(&["config", "set", "runs.maxParallel", "1"]).status.success());
    let mut set = s.cmd();
    set.env("SIMPLE_CICD_SECRETS_KEY", KEY).args(["secret", "set", "HOOK"]).stdin(Stdio::piped()).stdout(Stdio::null());
    let mut child = set.spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"burst-secret").unwrap();
    assert!(child.wait().unwrap().success());
    let url = format!("file://{}", repo.path().display());
    assert!(s.run(&["repo", "add", "small", &url]).status.success());
    s.apply("kind: shell\nname: hooked\nsource: { repo: small, ref: main }\ntriggers:\n  - webhook: { provider: github, secret: HOOK, branches: [\"main\"] }\nscript: 'true'\n");

    let count: usize = std::env::var("SIMPLE_CICD_BURST").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let b = Burst {
        scicd: env!("CARGO_BIN_EXE_scicd").into(),
        data_dir: s.dir.path().to_path_buf(),
        envs: vec![("SIMPLE_CICD_SECRETS_KEY".into(), KEY.into())],
        template: "hooked".into(),
        secret: "burst-secret".into(),
        sha,
        count,
        concurrency: 16,
        kill_after: count / 2,
    };
    let report = tokio::runtime::Runtime::new().unwrap().block_on(burst::run(&b));
    eprintln!("{report}");
    assert!(
        report.answered_before_kill >= count / 2 && report.answered_before_kill < count,
        "killed halfway:\n{report}"
    );
    assert_eq!(report.lost_after_kill, 0, "every delivery answered 202 before the kill has its run:\n{report}");
    assert_eq!(report.duplicates, 0, "no delivery id has two runs:\n{report}");
    assert_eq!(report.without_run, 0, "every unique valid delivery has its run once all were answered:\n{report}");
    assert_eq!(report.runs, report.unique_valid, "one run per unique valid delivery, none for the rest:\n{report}");
    assert_eq!(report.forged_refused, report.forged, "every forgery is answered 401:\n{report}");
    assert_eq!(report.forged_rows, 0, "nothing is written for a forged delivery:\n{report}");
    assert_eq!(
        report.accepted + report.replays_refused,
        report.unique_valid + report.replays,
        "each valid delivery is answered 202 or 200 duplicate:\n{report}"
    );
    // A delivery committed but unanswered at the kill is answered `duplicate` (naming its run) when sent again.
    assert!(report.accepted <= report.unique_valid, "at most one 202 per unique id:\n{report}");
    assert!(report.unexpected.is_empty(), "no other answers:\n{report}");
}
