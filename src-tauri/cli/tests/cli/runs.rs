//! `scicd run`, `runs`, `logs`, `cancel`: exit statuses, streaming, detaching, Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn run_streams_the_log_and_exits_with_the_outcome() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: hello\nparams:\n  - name: WHO\n    type: string\n    default: world\nscript: |\n  echo \"hello $WHO\"\n  echo oops >&2\n");
    let ok = s.run(&["run", "hello", "-p", "WHO=$(touch /tmp/scicd-pwned) `reboot`"]);
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(stdout(&ok), "hello $(touch /tmp/scicd-pwned) `reboot`\n", "stdout carries exactly the script's stdout");
    assert!(stderr(&ok).contains("oops"));
    assert!(!std::path::Path::new("/tmp/scicd-pwned").exists());

    s.apply("kind: shell\nname: fails\nscript: exit 4\n");
    assert_eq!(s.run(&["run", "fails"]).status.code(), Some(1));
    s.apply("kind: shell\nname: slow\ntimeoutSeconds: 1\nscript: sleep 20\n");
    assert_eq!(s.run(&["run", "slow"]).status.code(), Some(1), "timed out counts as a failure");
}

#[test]
fn usage_mistakes_exit_2_and_start_nothing() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: typed\nparams:\n  - name: N\n    type: number\n    required: true\nscript: echo $N\n");
    for args in [
        vec!["run", "typed", "-p", "N=ten"],
        vec!["run", "typed", "-p", "N=1", "-p", "EXTRA=1"],
        vec!["run", "typed"],
        vec!["run", "nope"],
        vec!["run", "typed", "-p", "novalue"],
        vec!["run", "typed", "--detach", "-p", "N=x"],
    ] {
        let out = s.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty());
    }
    let runs = s.run(&["runs", "list", "--json"]);
    assert_eq!(stdout(&runs).trim(), "[]", "no run was created by a mistake");
}

#[test]
fn detach_returns_at_once_and_the_run_goes_on() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: bg\nscript: |\n  sleep 1\n  echo finished in background\n");
    let started = Instant::now();
    let out = s.run(&["run", "bg", "--detach"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_millis(900), "--detach does not wait for the run");
    let id: i64 = stdout(&out).trim().parse().expect("prints the run id");
    let run = s.wait_status(id, |st| st == "succeeded");
    let trigger = run["trigger"].as_str().unwrap_or_default();
    assert!(trigger.starts_with("cli by "), "the trigger names the OS user: {trigger}");
    for key in ["id", "number", "template", "status", "trigger", "startedAt", "finishedAt", "exitCode", "params"] {
        assert!(run.get(key).is_some(), "runs show --json has {key}");
    }
    let logs = s.run(&["logs", &id.to_string()]);
    assert!(stdout(&logs).contains("finished in background\n"));
}

#[test]
fn ctrl_c_cancels_the_run_gracefully_and_exits_130() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: forever\nscript: |\n  sleep 300 &\n  while true; do echo tick; sleep 0.2; done\n");
    let mut child = s.cmd().args(["run", "forever"]).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "tick", "the log streams live");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    let list: serde_json::Value = serde_json::from_slice(&s.run(&["runs", "list", "--json"]).stdout).unwrap();
    assert_eq!(list[0]["status"], "cancelled");
    assert_eq!(leftovers(s.dir.path()), Vec::<i32>::new(), "no process of the run survives");
}

#[test]
fn cancel_from_another_terminal_stops_a_detached_run() {
    let s = Scicd::new();
    s.apply("kind: shell\nname: long\nscript: |\n  echo up\n  sleep 300\n");
    let id = stdout(&s.run(&["run", "long", "--detach"])).trim().to_string();
    s.wait_status(id.parse().unwrap(), |st| st == "running");
    let out = s.run(&["cancel", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    s.wait_status(id.parse().unwrap(), |st| st == "cancelled");
    let again = s.run(&["cancel", &id]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already ended (cancelled)"), "{}", stderr(&again));
    assert_eq!(leftovers(s.dir.path()), Vec::<i32>::new());
}

#[test]
fn a_limit_on_runs_per_template_holds_for_runs_started_from_the_command_line() {
    // The trim after a run used to happen after the run stopped being active, and `scicd run`
    // exits right then: every run was kept, whatever the limit.
    let s = Scicd::new();
    s.apply("kind: shell\nname: kept\nscript: echo hi\n");
    assert!(s.run(&["config", "set", "retention.maxRunsPerTemplate", "3"]).status.success());
    for _ in 0..6 {
        assert_eq!(s.run(&["run", "kept"]).status.code(), Some(0));
    }
    let listed = stdout(&s.run(&["runs", "list"]));
    let numbers: Vec<&str> = listed.lines().skip(1).filter_map(|l| l.split_whitespace().nth(2)).collect();
    assert_eq!(numbers, ["6", "5", "4"], "the three newest runs are kept: {listed}");
}
