//! Finding and killing what a run started: its process group, and on Linux every process whose
//! environment carries the run's secret key (which also catches processes that left the group
//! with `setsid`). Zombies are ignored: they are dead already.

use std::time::Duration;

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

/// Sends `signal` to the process group `pgid`. A group that no longer exists is not an error.
pub(crate) fn signal_group(pgid: i32, signal: Signal) {
    if pgid > 1 {
        let _ = killpg(Pid::from_raw(pgid), signal);
    }
}

/// Live (non-zombie) processes that belong to the run: members of `pgid`, or holders of
/// `SIMPLE_CICD_RUN_KEY=<key>` in their environment.
#[cfg(target_os = "linux")]
pub(crate) fn run_processes(pgid: Option<i32>, key: &str) -> Vec<i32> {
    // A pipeline step's processes carry `KEY.INDEX`: the run's key finds them too.
    let needle = format!("SIMPLE_CICD_RUN_KEY={key}");
    let step_prefix = format!("SIMPLE_CICD_RUN_KEY={key}.");
    let me = std::process::id() as i32;
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // The command name may hold spaces and parentheses: fields start after the last ')'.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else {
            continue;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next().unwrap_or("Z");
        let pgrp: i32 = fields.nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        if state == "Z" || state == "X" {
            continue;
        }
        if pgid.is_some_and(|g| g == pgrp && g > 1) {
            found.push(pid);
            continue;
        }
        if let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) {
            if env.split(|b| *b == 0).any(|v| v == needle.as_bytes() || v.starts_with(step_prefix.as_bytes())) {
                found.push(pid);
            }
        }
    }
    found
}

/// Elsewhere only the process group is known.
#[cfg(not(target_os = "linux"))]
pub(crate) fn run_processes(pgid: Option<i32>, _key: &str) -> Vec<i32> {
    match pgid {
        Some(g) if g > 1 && killpg(Pid::from_raw(g), None).is_ok() => vec![-g],
        _ => Vec::new(),
    }
}

fn signal_all(pids: &[i32], signal: Signal) {
    for &pid in pids {
        let _ = if pid < 0 {
            killpg(Pid::from_raw(-pid), signal)
        } else {
            nix::sys::signal::kill(Pid::from_raw(pid), signal)
        };
    }
}

/// Stops every process of the run: SIGTERM, up to `grace` for them to leave, then SIGKILL.
/// Returns how many processes had to be stopped. Idempotent.
pub(crate) async fn kill_run_processes(pgid: Option<i32>, key: String, grace: Duration) -> usize {
    let scan = {
        let key = key.clone();
        move || run_processes(pgid, &key)
    };
    let first = tokio::task::spawn_blocking(scan.clone()).await.unwrap_or_default();
    if first.is_empty() {
        return 0;
    }
    signal_all(&first, Signal::SIGTERM);
    let deadline = tokio::time::Instant::now() + grace;
    loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let left = tokio::task::spawn_blocking(scan.clone()).await.unwrap_or_default();
        if left.is_empty() {
            return first.len();
        }
        if tokio::time::Instant::now() >= deadline {
            signal_all(&left, Signal::SIGKILL);
            return first.len();
        }
    }
}
