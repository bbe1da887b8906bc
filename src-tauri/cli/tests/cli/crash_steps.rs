//! The owning `scicd` killed (SIGKILL) in the middle of each kind of step that crash.rs and
//! docker.rs do not cover: an image build, a compose launch waiting for health, and an approval
//! wait. The next start of any `scicd` on the data directory marks the run interrupted with a
//! message that says what happened and what to do, keeps the log up to the kill, and leaves no
//! process of the run and no container of the build behind.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::crash::find_worker;
use crate::support::*;

const BASE_IMAGE: &str = "simple-cicd-test/busybox:1";

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos())
}

/// Starts `template` detached and returns its run id once `needle` is in its log.
fn start_until(s: &Scicd, template: &str, needle: &str) -> i64 {
    let id: i64 = stdout(&s.run(&["run", template, "--detach"])).trim().parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let out = s.run(&["logs", &id.to_string()]);
        if format!("{}{}", stdout(&out), stderr(&out)).contains(needle) {
            return id;
        }
        assert!(Instant::now() < deadline, "`{needle}` never appeared in run {id}'s log");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// SIGKILL to the detached worker of `s`; returns when it was sent.
fn kill_owner(s: &Scicd) -> Instant {
    let worker = find_worker(s.dir.path()).expect("the detached worker is running");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(worker), nix::sys::signal::Signal::SIGKILL).unwrap();
    let killed = Instant::now();
    std::thread::sleep(Duration::from_millis(300));
    killed
}

/// The line scripts/bench-faults.sh tabulates: fault, status, message, what was left, seconds.
fn report(fault: &str, run: &serde_json::Value, left: &[String], since: Instant) {
    let message = run["error"].as_str().unwrap_or_default().lines().next().unwrap_or_default().to_string();
    let left = if left.is_empty() { "none".to_string() } else { left.join(", ") };
    let status = run["status"].as_str().unwrap_or_default();
    println!("FAULT-OUTCOME\t{fault}\t{status}\t{message}\t{left}\t{:.1}", since.elapsed().as_secs_f64());
}

/// The run as the next `scicd` shows it (any start recovers), checked: interrupted, saying what
/// happened and what to do, the log kept up to `kept`.
fn recovered(s: &Scicd, id: i64, kept: &str) -> serde_json::Value {
    let run = s.run_json(id);
    assert_eq!(run["status"], "interrupted", "{run}");
    let error = run["error"].as_str().unwrap_or_default();
    assert!(error.contains("stopped unexpectedly"), "what happened: {error}");
    assert!(error.contains("start it again with Re-run (scicd run "), "what to do: {error}");
    let out = s.run(&["logs", &id.to_string()]);
    let logs = format!("{}{}", stdout(&out), stderr(&out));
    assert!(logs.contains(kept) && logs.contains("Interrupted"), "the log is kept up to the kill: {logs}");
    run
}

fn docker_ps(filter: &str) -> String {
    let out = Command::new("docker").args(["ps", "-aq", "--filter", filter]).output().expect("the docker CLI runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn base_image(s: &Scicd) {
    let ctx = s.dir.path().join("base-ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::copy("/bin/busybox", ctx.join("busybox")).expect("busybox-static provides /bin/busybox");
    s.apply(&format!(
        "kind: docker-build\nname: base\ncontext: {}\ndockerfileInline: |\n  FROM scratch\n  COPY busybox /bin/busybox\n  RUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\ntags: [\"{BASE_IMAGE}\"]\n",
        ctx.display()
    ));
    let out = s.run(&["run", "base"]);
    assert!(out.status.success(), "the base image builds: {}{}", stdout(&out), stderr(&out));
}

/// Containers of the build (the intermediate one runs `sleep` with the marker in its command).
fn build_containers(marker: &str) -> Vec<String> {
    let out =
        Command::new("docker").args(["ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Command}}"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains(marker)).map(String::from).collect()
}

#[test]
fn kill_9_during_an_image_build_leaves_the_run_interrupted_and_no_build_container() {
    let s = Scicd::new();
    base_image(&s);
    let marker = unique("killed-build");
    let ctx = s.dir.path().join("ctx");
    std::fs::create_dir_all(&ctx).unwrap();
    std::fs::write(ctx.join("Dockerfile"), format!("FROM {BASE_IMAGE}\nRUN echo {marker} && sleep 300\n")).unwrap();
    s.apply(&format!("kind: docker-build\nname: victim-build\ncontext: {}\n", ctx.display()));
    let id = start_until(&s, "victim-build", &marker);
    let deadline = Instant::now() + Duration::from_secs(10);
    while build_containers(&marker).is_empty() {
        assert!(Instant::now() < deadline, "the build's container runs");
        std::thread::sleep(Duration::from_millis(100));
    }
    let killed = kill_owner(&s);
    let run = recovered(&s, id, &marker);
    // The daemon sees the build's connection close and removes its container (forcerm).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !build_containers(&marker).is_empty() {
        assert!(Instant::now() < deadline, "the build container is left: {:?}", build_containers(&marker));
        std::thread::sleep(Duration::from_millis(200));
    }
    let left: Vec<String> = leftovers(s.dir.path()).iter().map(|p| format!("process {p}")).collect();
    report("scicd killed during an image build", &run, &left, killed);
    assert!(left.is_empty(), "no process of the run is left: {left:?}");
}

#[test]
fn kill_9_during_a_compose_launch_leaves_the_run_interrupted_and_no_compose_process() {
    let s = Scicd::new();
    base_image(&s);
    let project = unique("killedstack");
    // A service that never becomes healthy: `up --wait` is still waiting when the owner dies.
    s.apply(&format!(
        "kind: compose\nname: {project}\nproject: {project}\nwaitSeconds: 120\ncompose: |\n  services:\n    web:\n      image: {BASE_IMAGE}\n      command: [\"sh\", \"-c\", \"echo web-started; sleep 600\"]\n      healthcheck:\n        test: [\"CMD\", \"false\"]\n        interval: 1s\n"
    ));
    let id = start_until(&s, &project, "web");
    // Killed once `up` has created the service's container: the stack is running, unowned unless
    // the app exists.
    let deadline = Instant::now() + Duration::from_secs(60);
    while docker_ps(&format!("label=com.docker.compose.project={project}")).is_empty() {
        assert!(Instant::now() < deadline, "compose up never created the service's container");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    let killed = kill_owner(&s);
    let run = recovered(&s, id, "web");
    let mut left: Vec<String> = leftovers(s.dir.path()).iter().map(|p| format!("process {p}")).collect();
    let compose_procs: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|e| {
            std::fs::read(e.path().join("environ")).is_ok_and(|env| {
                env.split(|b| *b == 0).any(|v| v == format!("COMPOSE_PROJECT_NAME={project}").as_bytes())
            })
        })
        .filter(|e| !std::fs::read_to_string(e.path().join("stat")).unwrap_or_default().contains(") Z"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.extend(compose_procs.iter().map(|pid| format!("compose process {pid}")));
    report("scicd killed during a compose launch", &run, &left, killed);
    // The stack `up` started is the app's: shown, and taken down from it.
    let show = s.run(&["app", "show", &project]);
    assert!(show.status.success(), "a first launch killed midway leaves an app: {}", stderr(&show));
    assert!(stdout(&show).contains("web"), "its running service is shown: {}", stdout(&show));
    let down = s.run(&["app", "down", &project]);
    if !down.status.success() {
        let _ = Command::new("docker").args(["compose", "-p", &project, "down", "-t", "1"]).output();
    }
    assert!(down.status.success(), "the app takes its stack down: {}{}", stdout(&down), stderr(&down));
    assert_eq!(docker_ps(&format!("label=com.docker.compose.project={project}")), "", "the stack is gone");
    assert!(left.is_empty(), "recovery stopped `docker compose up`; nothing of the run is left: {left:?}");
}

#[test]
fn kill_9_during_an_approval_wait_leaves_the_run_interrupted_and_its_later_steps_skipped() {
    let s = Scicd::new();
    s.apply("kind: pipeline\nname: victim-gate\nsteps:\n  - { name: before, kind: shell, script: echo before-gate }\n  - { name: gate, kind: approval, message: Ship it? }\n  - { name: after, kind: shell, script: echo shipped }\n");
    let id: i64 = stdout(&s.run(&["run", "victim-gate", "--detach"])).trim().parse().unwrap();
    s.wait_status(id, |st| st == "waiting");
    let killed = kill_owner(&s);
    let run = recovered(&s, id, "before-gate");
    report("scicd killed during an approval wait", &run, &[], killed);
    let show = stdout(&s.run(&["runs", "show", &id.to_string()]));
    let steps: Vec<&str> = show.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(steps.iter().any(|l| l.contains("gate") && l.contains("interrupted")), "{show}");
    assert!(steps.iter().any(|l| l.contains("after") && l.contains("skipped")), "{show}");
    let out = s.run(&["approve", &id.to_string()]);
    assert!(!out.status.success(), "an interrupted run's approval cannot be answered any more: {}", stdout(&out));
}
