//! What every fault test checks after its fault, and the one line each prints for
//! scripts/bench-faults.sh: the fault, the run's status, the first line of its message, what was
//! left behind and the time from the fault to the run's end.

use std::time::Instant;

use simple_cicd_engine::model::{Run, RunStatus};
use simple_cicd_engine::Engine;

use crate::support::*;

/// The engine still runs other work after the fault: a shell run succeeds.
pub async fn still_serves(engine: &Engine) {
    let name = crate::docker_support::unique("after-fault");
    apply(engine, &format!("kind: shell\nname: {name}\nscript: echo still-serving\n")).await;
    let run = wait_end(engine, start(engine, &name, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "the engine keeps serving other runs after the fault: {run:?}");
    assert!(log_text(engine, run.id).await.iter().any(|l| l == "still-serving"));
}

/// The run's message, asserting it says what happened (`what`) and what to do (`todo`).
pub fn message_says(run: &Run, what: &[&str], todo: &[&str]) -> String {
    let error = run.error.clone().unwrap_or_else(|| panic!("a run ended by a fault says why: {run:?}"));
    for needle in what {
        assert!(error.contains(needle), "the message says what happened ({needle}): {error}");
    }
    for needle in todo {
        assert!(error.contains(needle), "the message says what to do ({needle}): {error}");
    }
    error
}

/// Prints the bench line: `FAULT-OUTCOME<TAB>fault<TAB>status<TAB>message<TAB>left<TAB>seconds`.
pub fn report(fault: &str, status: &str, message: &str, left: &[String], since: Instant) {
    let first = message.lines().next().unwrap_or("");
    let left = if left.is_empty() { "none".to_string() } else { left.join(", ") };
    println!("FAULT-OUTCOME\t{fault}\t{status}\t{first}\t{left}\t{:.1}", since.elapsed().as_secs_f64());
}

/// [`report`] for a run.
pub fn report_run(fault: &str, run: &Run, left: &[String], since: Instant) {
    report(fault, run.status.as_str(), run.error.as_deref().unwrap_or(""), left, since);
}
