//! A container step's output, whatever its volume: every line kept, in order, on the local socket
//! and on a remote endpoint; a log that cannot be kept never ends `succeeded`.

use simple_cicd_engine::model::{LogLine, LogStream, RunStatus};
use simple_cicd_engine::{api, Engine};

use crate::docker_support::*;
use crate::support::*;

fn yaml(name: &str, image: &str, endpoint: Option<&str>, script: &str) -> String {
    let script: String = script.lines().map(|l| format!("  {l}\n")).collect();
    let endpoint = endpoint.map(|e| format!("endpoint: {e}\n")).unwrap_or_default();
    format!("kind: shell\nname: {name}\nimage: {image}\n{endpoint}script: |\n{script}")
}

/// The run's lines of `stream`, checked to be 1..=n in order.
fn assert_counts_to(lines: &[LogLine], stream: LogStream, n: usize, why: &str) {
    let got: Vec<&str> = lines.iter().filter(|l| l.stream == stream).map(|l| l.text.as_str()).collect();
    assert_eq!(got.len(), n, "{why}: every line is kept (last kept: {:?})", got.last());
    let out_of_place = got.iter().enumerate().find(|(i, t)| **t != (i + 1).to_string());
    assert!(out_of_place.is_none(), "{why}: lines in order, first misplaced: {out_of_place:?}");
}

async fn run_to_end(engine: &Engine, name: &str) -> (simple_cicd_engine::model::Run, Vec<LogLine>) {
    let id = start(engine, name, &[]).await.id;
    let run = wait_end(engine, id).await;
    let lines = log_lines(engine, run.id).await;
    (run, lines)
}

#[tokio::test]
async fn a_million_lines_on_the_local_socket_are_all_kept_in_order() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("million-local");
    apply(&t.engine, &yaml(&name, base, None, "seq 1 1000000\n")).await;
    let (run, lines) = run_to_end(&t.engine, &name).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_counts_to(&lines, LogStream::Stdout, 1_000_000, "stdout of a container on the local socket");
    assert!(containers_of_template(&name).await.is_empty());
}

#[tokio::test]
async fn a_million_lines_on_stderr_on_a_remote_endpoint_are_all_kept_in_order() {
    let base = base_image().await;
    let t = engine().await;
    file_secrets(&t.engine).await;
    add_endpoint(&t.engine, tls_endpoint("remote")).await;
    let name = unique("million-remote");
    apply(&t.engine, &yaml(&name, base, Some("remote"), "seq 1 1000000 >&2\n")).await;
    let (run, lines) = run_to_end(&t.engine, &name).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_counts_to(&lines, LogStream::Stderr, 1_000_000, "stderr of a container on a TLS endpoint");
    assert!(containers_of_template(&name).await.is_empty());
}

#[tokio::test]
async fn bursts_written_after_a_pause_just_before_exit_are_kept() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("bursts");
    let script = "seq 1 100000\nsleep 1\nseq 100001 300000\nseq 1 1000 >&2\nsleep 1\nseq 300001 400000\n";
    apply(&t.engine, &yaml(&name, base, None, script)).await;
    let (run, lines) = run_to_end(&t.engine, &name).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}", run.error);
    assert_counts_to(&lines, LogStream::Stdout, 400_000, "stdout written in bursts");
    assert_counts_to(&lines, LogStream::Stderr, 1_000, "stderr between the bursts");
    let last_output = lines.iter().rev().find(|l| l.stream != LogStream::System).unwrap();
    assert_eq!(last_output.text, "400000", "the burst just before exit is the end of the output");
}

#[tokio::test]
async fn a_container_step_whose_log_cannot_be_stored_fails_and_names_the_loss() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("full-disk");
    // More than 400 pages of log even compressed: random bytes do not compress.
    apply(&t.engine, &yaml(&name, base, None, "head -c 4000000 /dev/urandom | base64\n")).await;
    let full = full_disk_engine(&t, 400).await;
    let run = api::run_start(&full, &me(), &name, &params(&[])).await.unwrap();
    let run = wait_end(&full, run.id).await;
    assert_ne!(run.status, RunStatus::Succeeded, "a run whose log was not kept is not a success");
    let error = run.error.clone().expect("the run says why");
    assert!(error.contains("cannot store the log") && error.contains("line(s) were dropped"), "{error}");
    assert!(error.contains("full"), "the cause is named: {error}");
    assert!(run.log_lines > 0, "what could be stored was stored: {run:?}");
    assert!(containers_of_template(&name).await.is_empty(), "nothing left running");
}
