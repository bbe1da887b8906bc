//! A killed owner: the next start of any engine marks its runs interrupted, kills what is left
//! and tells the template's notification rules.

use std::time::Duration;

use crate::desktop_session::DesktopSession;
use crate::support::*;

#[test]
fn kill_9_of_the_owner_leaves_the_run_interrupted_and_nothing_running() {
    let session = DesktopSession::start();
    let s = Scicd::new();
    s.apply("kind: shell\nname: victim\nscript: |\n  sleep 300 &\n  echo started\n  sleep 300\nnotify:\n  - when: [failed]\n    desktop: true\n");
    let id: i64 = stdout(&s.run(&["run", "victim", "--detach"])).trim().parse().unwrap();
    s.wait_status(id, |st| st == "running");
    std::thread::sleep(Duration::from_millis(300));
    // The worker is the process whose command line is `scicd ... __worker`.
    let worker = find_worker(s.dir.path()).expect("the detached worker is running");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(worker), nix::sys::signal::Signal::SIGKILL).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!leftovers(s.dir.path()).is_empty(), "the script outlives its killed owner until recovery");
    // Any scicd start recovers; this one in a desktop session, to hear about it.
    let mut cmd = s.cmd();
    session.apply(&mut cmd);
    let out = cmd.args(["runs", "show", &id.to_string(), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["status"], "interrupted");
    let received = session.received();
    assert_eq!(received.len(), 1, "the recovered run is notified as its rules ask: {received:?}");
    assert_eq!(received[0].1, "victim #1 interrupted");
    assert!(run["error"].as_str().unwrap().contains("stopped unexpectedly"));
    assert_eq!(leftovers(s.dir.path()), Vec::<i32>::new(), "recovery killed the orphaned processes");
    let out = s.run(&["logs", &id.to_string()]);
    let logs = format!("{}{}", stdout(&out), stderr(&out)); // the Interrupted line is a system line, on stderr
    assert!(logs.contains("started") && logs.contains("Interrupted"), "the log is kept up to the last line: {logs}");
}

pub(crate) fn find_worker(dir: &std::path::Path) -> Option<i32> {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: i32 = e.file_name().to_str()?.parse().ok()?;
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
        let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
        (cmd.contains("__worker") && cmd.contains(&needle)).then_some(pid)
    })
}

#[test]
fn kill_9_of_a_pipeline_s_owner_leaves_its_running_step_interrupted_and_the_rest_skipped() {
    let s = Scicd::new();
    s.apply("kind: pipeline\nname: victim-pipeline\nsteps:\n  - { name: first, kind: shell, script: echo one }\n  - name: long\n    kind: shell\n    script: |\n      sleep 300 &\n      echo started\n      sleep 300\n  - { name: never, kind: shell, script: echo never }\n");
    let id: i64 = stdout(&s.run(&["run", "victim-pipeline", "--detach"])).trim().parse().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !stdout(&s.run(&["logs", &id.to_string()])).contains("started") {
        assert!(std::time::Instant::now() < deadline, "the long step never started");
        std::thread::sleep(Duration::from_millis(100));
    }
    let worker = find_worker(s.dir.path()).expect("the detached worker is running");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(worker), nix::sys::signal::Signal::SIGKILL).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(!leftovers(s.dir.path()).is_empty(), "the step's processes outlive the killed owner until recovery");
    let show = stdout(&s.run(&["runs", "show", &id.to_string()]));
    assert!(show.contains("interrupted"), "{show}");
    let steps: Vec<&str> = show.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(steps.iter().any(|l| l.contains("first") && l.contains("succeeded")), "{show}");
    assert!(steps.iter().any(|l| l.contains("long") && l.contains("interrupted")), "{show}");
    assert!(steps.iter().any(|l| l.contains("never") && l.contains("skipped")), "{show}");
    assert_eq!(leftovers(s.dir.path()), Vec::<i32>::new(), "recovery killed the step's processes (RUNKEY.INDEX)");
}
