//! dockerd stopped during a compose deploy: a private daemon runs revision 1 of a stack, and is
//! stopped while `up --wait` waits for revision 2's health. The run ends failed saying Docker
//! went away and what to do, the launch is recorded as a failed revision (revision 1 stays the
//! deployed one), no compose process is left, and the engine keeps serving other runs.

use std::time::Instant;

use simple_cicd_engine::api;
use simple_cicd_engine::model::RunStatus;

use crate::docker_support::unique;
use crate::fault_dockerd::PrivateDockerd;
use crate::fault_outcome::*;
use crate::support::*;

fn stack(project: &str, image: &str, health: &str, message: &str) -> String {
    format!(
        "kind: compose\nname: {project}\nproject: {project}\nendpoint: private\nwaitSeconds: 60\ncompose: |\n  services:\n    web:\n      image: {image}\n      command: [\"sh\", \"-c\", \"echo {message}; exec sleep 600\"]\n      healthcheck:\n        test: [\"CMD\", \"{health}\"]\n        interval: 1s\n"
    )
}

#[tokio::test]
async fn dockerd_stopped_during_a_compose_deploy_fails_the_run_and_records_a_failed_revision() {
    let mut dockerd = PrivateDockerd::start().await;
    let image = dockerd.base_image().await;
    let t = engine().await;
    dockerd.add_to(&t.engine, "private").await;
    let project = unique("stopped-stack");
    apply(&t.engine, &stack(&project, image, "true", "one")).await;
    let first = wait_end(&t.engine, start(&t.engine, &project, &[]).await.id).await;
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, first.id).await);

    // Revision 2 never becomes healthy: `up --wait` is waiting when the daemon stops.
    apply(&t.engine, &stack(&project, image, "false", "two")).await;
    let run = start(&t.engine, &project, &[]).await;
    wait_for_line(&t.engine, run.id, "up -d").await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let fault = Instant::now();
    dockerd.stop().await;
    let run = wait_end(&t.engine, run.id).await;
    let mut left: Vec<String> = dockerd.leftovers().iter().map(|p| format!("process {p}")).collect();
    left.extend(processes_with_env("SIMPLE_CICD_TEMPLATE", &project).iter().map(|p| format!("compose process {p}")));
    report_run("dockerd stopped during a compose deploy", &run, &left, fault);
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    message_says(&run, &["Docker", &dockerd.url], &["is the daemon running"]);
    let log = log_text(&t.engine, run.id).await;
    assert!(log.iter().any(|l| l.contains("up -d")), "the log up to the fault is kept: {log:?}");
    assert!(left.is_empty(), "nothing is left running: {left:?}");
    let detail = api::app_get(&t.engine, &project).await.unwrap();
    let statuses: Vec<(u32, &str)> = detail.revisions.iter().map(|r| (r.number, r.status.as_str())).collect();
    assert!(
        statuses == [(1, "deployed")] || statuses == [(2, "failed"), (1, "deployed")],
        "the failed launch is not taken for a deployed revision: {statuses:?}"
    );
    still_serves(&t.engine).await;
}
