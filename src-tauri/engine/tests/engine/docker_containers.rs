//! Shell templates with an `image`: the script in a container, against the real daemon.

use std::time::Duration;

use simple_cicd_engine::api;
use simple_cicd_engine::model::{LogStream, RunStatus};

use crate::docker_support::*;
use crate::support::*;

fn yaml(name: &str, image: &str, extra: &str, script: &str) -> String {
    let script: String = script.lines().map(|l| format!("  {l}\n")).collect();
    format!("kind: shell\nname: {name}\nimage: {image}\n{extra}script: |\n{script}")
}

#[tokio::test]
async fn the_script_runs_in_the_image_with_the_workspace_mounted_and_both_streams_logged() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("in-container");
    let script = "echo \"hello from $(cat /etc/hostname | cut -c1-4)... in $PWD as run $SIMPLE_CICD_RUN_NUMBER of $SIMPLE_CICD_TEMPLATE\"\necho \"to stderr\" >&2\necho \"ws=$SIMPLE_CICD_WORKSPACE who=$WHO key=${SIMPLE_CICD_RUN_KEY:-none}\"\necho built > /workspace/out.txt\n";
    let extra = "params:\n  - name: WHO\n    type: string\n    default: world\n";
    apply(&t.engine, &yaml(&name, base, extra, script)).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let lines = log_lines(&t.engine, run.id).await;
    let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(run.status, RunStatus::Succeeded, "{text:?}");
    assert_eq!(run.exit_code, Some(0));
    assert!(text.iter().any(|l| l.contains("in /workspace as run 1 of")), "{text:?}");
    assert!(text.contains(&"ws=/workspace who=world key=none"), "parameters arrive, the run key does not: {text:?}");
    let err = lines.iter().find(|l| l.text == "to stderr").expect("stderr is logged");
    assert_eq!(err.stream, LogStream::Stderr);
    let ws = std::path::PathBuf::from(run.workdir.unwrap());
    assert_eq!(std::fs::read_to_string(ws.join("out.txt")).unwrap(), "built\n", "the workspace is the run's own");
    assert!(containers_of_template(&name).await.is_empty(), "the container is removed after the run");
}

#[tokio::test]
async fn the_script_s_exit_code_is_the_step_s_outcome() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("exit-7");
    apply(&t.engine, &yaml(&name, base, "", "echo before\nexit 7\n")).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    assert_eq!((run.status, run.exit_code), (RunStatus::Failed, Some(7)));
    assert!(run.error.is_none(), "a failing script is an outcome, not an error");
    assert!(log_text(&t.engine, run.id).await.contains(&"before".to_string()));
    let name = unique("shebang");
    apply(&t.engine, &yaml(&name, base, "", "#!/bin/sh\n[ \"$0\" = /.simple-cicd/script ] && echo ran-as-file\n"))
        .await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    assert!(log_text(&t.engine, run.id).await.contains(&"ran-as-file".to_string()));
}

#[tokio::test]
async fn cancel_stops_and_removes_the_container() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("cancel-me");
    apply(&t.engine, &yaml(&name, base, "", "echo started\nsleep 300\n")).await;
    let id = start(&t.engine, &name, &[]).await.id;
    wait_for_line(&t.engine, id, "started").await;
    assert_eq!(containers_of_template(&name).await.len(), 1, "the container carries the run's labels");
    api::run_cancel(&t.engine, &me(), id).await.unwrap();
    let run = wait_end(&t.engine, id).await;
    assert_eq!(run.status, RunStatus::Cancelled);
    assert!(containers_of_template(&name).await.is_empty(), "the cancelled run's container is gone");
}

#[tokio::test]
async fn a_timeout_stops_and_removes_the_container() {
    let base = base_image().await;
    let t = engine().await;
    let name = unique("too-slow");
    apply(&t.engine, &yaml(&name, base, "timeoutSeconds: 2\n", "echo started\nsleep 300\n")).await;
    let started = std::time::Instant::now();
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(20), "stopped after the timeout and the grace period");
    assert!(containers_of_template(&name).await.is_empty());
}

#[tokio::test]
async fn a_remote_endpoint_gets_a_copy_of_the_workspace() {
    let base = base_image().await;
    let t = engine().await;
    file_secrets(&t.engine).await;
    add_endpoint(&t.engine, tls_endpoint("remote")).await;
    let name = unique("remote-step");
    apply(&t.engine, &yaml(&name, base, "endpoint: remote\nworkdir: sub\n", "pwd\nls -d /workspace && echo ok\n"))
        .await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    let text = log_text(&t.engine, run.id).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{text:?}");
    assert!(text.contains(&"/workspace/sub".to_string()) && text.contains(&"ok".to_string()), "{text:?}");
    assert!(containers_of_template(&name).await.is_empty());
}

#[tokio::test]
async fn an_image_that_is_not_there_fails_the_run_clearly() {
    let t = engine().await;
    let name = unique("no-image");
    apply(&t.engine, &yaml(&name, "simple-cicd-test/not-built:1", "", "true\n")).await;
    let run = wait_end(&t.engine, start(&t.engine, &name, &[]).await.id).await;
    assert_eq!(run.status, RunStatus::Failed);
    let error = run.error.unwrap();
    assert!(
        error.contains("the image simple-cicd-test/not-built:1 is not on endpoint local and could not be pulled"),
        "{error}"
    );
    assert!(containers_of_template(&name).await.is_empty());
}
