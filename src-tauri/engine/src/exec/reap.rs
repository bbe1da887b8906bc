//! Finding and killing what a run started: its process group, and on Linux every process whose
//! environment carries the run's secret key (which also catches processes that left the group
//! with `setsid`). Zombies are ignored: they are dead already.

use std::time::Duration;

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;

use super::new_pids::PidMark;

/// Sends `signal` to the process group `pgid`. A group that no longer exists is not an error.
pub(crate) fn signal_group(pgid: i32, signal: Signal) {
    if pgid > 1 {
        let _ = killpg(Pid::from_raw(pgid), signal);
    }
}

/// Live (non-zombie) processes that belong to the run: members of `pgid`, or holders of
/// `SIMPLE_CICD_RUN_KEY=<key>` in their environment.
///
/// `/proc/PID/stat` (the state and the group) is read only where it matters: of every process
/// while the group still exists, else of the holders of the key alone. Reading it costs
/// milliseconds for a busy multi-threaded process (a compiler, a browser), and a scan over all of
/// them at the end of every run made a `true` run wait tens of milliseconds on a loaded machine;
/// an environment is cheap to read. With `since` (a mark taken before the run's first process
/// started) only processes created after it are looked at (see [`PidMark`]).
#[cfg(target_os = "linux")]
pub(crate) fn run_processes(pgid: Option<i32>, key: &str, since: Option<PidMark>) -> Vec<i32> {
    // A pipeline step's processes carry `KEY.INDEX`: the run's key finds them too.
    let needle = format!("SIMPLE_CICD_RUN_KEY={key}");
    let step_prefix = format!("SIMPLE_CICD_RUN_KEY={key}.");
    let me = std::process::id() as i32;
    let group = pgid.filter(|g| *g > 1 && killpg(Pid::from_raw(*g), None).is_ok());
    let window = since.and_then(|mark| mark.ids_since());
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me || window.as_ref().is_some_and(|w| !w.contains(&pid)) {
            continue;
        }
        let holds_key = || {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                env.split(|b| *b == 0).any(|v| v == needle.as_bytes() || v.starts_with(step_prefix.as_bytes()))
            })
        };
        let belongs = match group {
            Some(g) => match stat_of(pid) {
                Some((state, pgrp)) => is_live(state) && (pgrp == g || holds_key()),
                None => false,
            },
            None => holds_key() && stat_of(pid).is_some_and(|(state, _)| is_live(state)),
        };
        if belongs {
            found.push(pid);
        }
    }
    found
}

/// The state letter and process group of `pid`, from `/proc/PID/stat`.
#[cfg(target_os = "linux")]
fn stat_of(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = stat.rfind(')').map(|i| &stat[i + 2..])?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let pgrp = fields.nth(1)?.parse().ok()?;
    Some((state, pgrp))
}

/// Zombies (and the dead) are gone already.
#[cfg(target_os = "linux")]
fn is_live(state: char) -> bool {
    state != 'Z' && state != 'X'
}

/// Elsewhere only the process group is known.
#[cfg(not(target_os = "linux"))]
pub(crate) fn run_processes(pgid: Option<i32>, _key: &str, _since: Option<PidMark>) -> Vec<i32> {
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
/// Returns how many processes had to be stopped. Idempotent. `since`: see [`run_processes`].
pub(crate) async fn kill_run_processes(
    pgid: Option<i32>,
    key: String,
    grace: Duration,
    since: Option<PidMark>,
) -> usize {
    let scan = {
        let key = key.clone();
        move || run_processes(pgid, &key, since)
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
