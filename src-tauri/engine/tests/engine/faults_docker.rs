//! Faults mid-build: a private dockerd stopped while it builds an image, and the registry gone
//! (its connection cut by a proxy) while an image is pushed to it. The run ends failed with a
//! message that says what happened and what to do, the log up to the fault is kept, nothing of the
//! run is left running, and the engine keeps serving other runs.

use std::time::{Duration, Instant};

use simple_cicd_engine::api;
use simple_cicd_engine::model::{NewRegistry, RunStatus};

use crate::docker_support::*;
use crate::fault_dockerd::PrivateDockerd;
use crate::fault_outcome::*;
use crate::fault_proxy::TcpProxy;
use crate::support::*;

#[tokio::test]
async fn dockerd_stopped_during_an_image_build_fails_the_run_saying_docker_went_away() {
    let mut dockerd = PrivateDockerd::start().await;
    let base = dockerd.base_image().await;
    let t = engine().await;
    dockerd.add_to(&t.engine, "private").await;
    let ctx = tempfile::tempdir().unwrap();
    let marker = unique("building");
    std::fs::write(ctx.path().join("Dockerfile"), format!("FROM {base}\nRUN echo {marker} && sleep 60\n")).unwrap();
    let name = unique("build-fault");
    apply(
        &t.engine,
        &format!("kind: docker-build\nname: {name}\ncontext: {}\nendpoint: private\n", ctx.path().display()),
    )
    .await;
    let run = start(&t.engine, &name, &[]).await;
    wait_for_line(&t.engine, run.id, &marker).await;

    let fault = Instant::now();
    dockerd.stop().await;
    let run = wait_end(&t.engine, run.id).await;
    let left: Vec<String> = dockerd.leftovers().iter().map(|pid| format!("process {pid}")).collect();
    report_run("dockerd stopped during an image build", &run, &left, fault);
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    message_says(&run, &[&dockerd.url, "stopped during the build"], &["check that it is running", "run again"]);
    let log = log_text(&t.engine, run.id).await;
    assert!(log.iter().any(|l| l.contains(&marker)), "the build's output up to the fault is kept: {log:?}");
    assert!(left.is_empty(), "the stopped daemon left no containerd, shim or build process: {left:?}");
    still_serves(&t.engine).await;
}

#[tokio::test]
async fn the_registry_gone_during_a_push_fails_the_run_saying_so_and_keeps_the_built_image() {
    let base = base_image().await;
    let registry = TestRegistry::start(None).await;
    let target = registry.host.parse().unwrap();
    // 256 KiB/s: the 24 MiB layer below takes long enough to be cut halfway.
    let mut proxy = TcpProxy::throttled(target, Some(256 * 1024));
    let host = format!("127.0.0.1:{}", proxy.port);
    let t = engine().await;
    api::registry_add(&t.engine, &me(), NewRegistry { name: "flaky".into(), url: host.clone(), ..Default::default() })
        .await
        .unwrap();
    let ctx = tempfile::tempdir().unwrap();
    std::fs::write(
        ctx.path().join("Dockerfile"),
        format!("FROM {base}\nRUN head -c 25165824 /dev/urandom > /blob && echo {}\n", unique("layer")),
    )
    .unwrap();
    let name = unique("push-fault");
    let tag = format!("{host}/{name}:1");
    apply(
        &t.engine,
        &format!(
            "kind: docker-build\nname: {name}\ncontext: {}\ntags: [\"{tag}\"]\npush: {{ registry: flaky }}\n",
            ctx.path().display()
        ),
    )
    .await;
    let run = start(&t.engine, &name, &[]).await;
    wait_for_line(&t.engine, run.id, "Pushing").await;
    proxy.wait_bytes(2 * 1024 * 1024, Duration::from_secs(60)).await;

    let fault = Instant::now();
    proxy.cut();
    let run = wait_end(&t.engine, run.id).await;
    let containers = containers_of_template(&name).await;
    report_run("registry gone during a push", &run, &containers, fault);
    assert_eq!(run.status, RunStatus::Failed, "{run:?}");
    message_says(&run, &["push of", "flaky", &host], &["check that the registry", "run again"]);
    assert!(run.image_id.is_some(), "the image was built before the push and is recorded: {run:?}");
    assert!(docker().inspect_image(&tag).await.is_ok(), "the built image stays for the next push");
    let log = log_text(&t.engine, run.id).await;
    assert!(log.iter().any(|l| l.contains("Built image")), "the log up to the fault is kept: {log:?}");
    assert!(containers.is_empty(), "no container of the build is left: {containers:?}");
    assert_eq!(registry.manifest_digest(&name, "1", None), None, "no manifest was half-pushed");
    let _ = docker().remove_image(&tag, None::<bollard::query_parameters::RemoveImageOptions>, None).await;
    still_serves(&t.engine).await;
}
