//! The Kubernetes API server gone during a Helm upgrade: the engine reaches the shared test
//! cluster only through a proxy named in its own kubeconfig, and the proxy is cut while Helm waits
//! for the upgraded Deployment. The run ends failed saying the API server went away and what to
//! do; once the API server is back, the release is not left pending without a way out (the app
//! offers the rollback, and it works) and the previous revision keeps serving throughout.

use std::time::{Duration, Instant};

use simple_cicd_engine::api;
use simple_cicd_engine::deploy::helm::Helm;
use simple_cicd_engine::kube;
use simple_cicd_engine::model::{NewCluster, RepositoryInput, Run, RunStatus};

use crate::docker_support::unique;
use crate::fault_outcome::*;
use crate::fault_proxy::TcpProxy;
use crate::helm::{helm_path, CHART};
use crate::kube_support::*;
use crate::support::*;

/// The admin kubeconfig with the API server at 127.0.0.1:`port` (the proxy).
fn through(port: u16) -> String {
    kubeconfig_with(|d| {
        d["clusters"][0]["cluster"]["server"] = format!("https://127.0.0.1:{port}").into();
    })
}

fn api_server() -> std::net::SocketAddr {
    let doc = admin_doc();
    let server = doc["clusters"][0]["cluster"]["server"].as_str().unwrap().to_string();
    server.trim_start_matches("https://").parse().expect("the test cluster's server is an IP:port")
}

async fn wait(engine: &simple_cicd_engine::Engine, id: i64) -> Run {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    loop {
        let run = api::run_get(engine, id).await.unwrap();
        if run.status.is_final() && !engine.active_runs().contains(&id) {
            return run;
        }
        assert!(tokio::time::Instant::now() < deadline, "run {id} did not end within 240 s: {run:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn running_message(namespace: &str) -> String {
    let out = std::process::Command::new(kubectl_path())
        .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy(), "-n", namespace])
        .args(["get", "deployment", "web", "-o", "jsonpath={.spec.template.metadata.annotations.message}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn the_api_server_gone_during_a_helm_upgrade_fails_the_run_and_the_app_offers_the_way_out() {
    let t = engine().await;
    use_test_cluster(&t.engine, None).await;
    let proxy = TcpProxy::start(api_server());
    let port = proxy.port;
    let mut proxy = Some(proxy);
    let new = NewCluster { name: "k".into(), kubeconfig: Some(through(port)), ..NewCluster::default() };
    api::cluster_add(&t.engine, new).await.unwrap();
    simple_cicd_engine::settings::config_set(&t.engine, "kube.helm", &helm_path(3).to_string_lossy()).await.unwrap();
    let fx = crate::git_servers::Fixture::new();
    for (file, text) in CHART {
        let path = fx.work.join("deploy/chart").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    fx.commit("main", "deploy/chart/README", "the demo chart\n");
    let repo = unique("charts");
    add_repo(&t.engine, RepositoryInput { name: repo.clone(), url: fx.file_url(), ..Default::default() }).await;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let namespace = format!("fault-{nanos}");
    let name = unique("helm-fault");
    let template = |probe: &str| {
        format!(
            "kind: helm\nname: {name}\nsource: {{ repo: {repo}, ref: main }}\nparams:\n  - {{ name: MESSAGE, type: string, default: one }}\nchartPath: deploy/chart\nrelease: web\nnamespace: {namespace}\ncluster: k\nwaitSeconds: 20\nvalues: |\n  probePath: {probe}\nset:\n  message: \"${{MESSAGE}}\"\n"
        )
    };
    apply(&t.engine, &template("/")).await;
    let first = wait(&t.engine, start(&t.engine, &name, &[("MESSAGE", "good")]).await.id).await;
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, first.id).await);

    // The upgrade's readiness probe never passes: Helm waits, and the API server goes away.
    apply(&t.engine, &template("/nope")).await;
    let run = start(&t.engine, &name, &[("MESSAGE", "bad")]).await;
    let (helm, target) = (Helm::detect(&helm_path(3)).await.unwrap(), kube::cluster_target(&t.engine, "k").await.unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    while helm.pending(&target, "web", &namespace).await.ok().flatten().is_none() {
        assert!(Instant::now() < deadline, "the upgrade never became pending");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let fault = Instant::now();
    proxy.take().unwrap().cut();
    let run = wait(&t.engine, run.id).await;
    let log = log_text(&t.engine, run.id).await;
    assert_eq!(running_message(&namespace), "good", "the previous revision keeps serving");

    // The API server is back at the same address.
    let _back = TcpProxy::on_port(port, api_server());
    let d = api::app_get(&t.engine, &format!("web@k/{namespace}")).await.unwrap();
    let h = d.helm.clone().expect("a helm app");
    let left = if h.recover_to.is_some() || h.pending.is_none() { Vec::new() } else { vec![format!("{} release", h.status)] };
    report_run("Kubernetes API gone during a Helm upgrade", &run, &left, fault);
    assert_eq!(run.status, RunStatus::Failed, "{log:?}");
    message_says(&run, &[&format!("127.0.0.1:{port}")], &["check that the cluster is running"]);
    assert!(log.iter().any(|l| l.contains("helm upgrade")), "the log up to the fault is kept: {log:?}");
    assert_eq!((h.status.as_str(), h.recover_to), ("pending-upgrade", Some(1)), "the way out is offered: {h:?}");
    let recovery = api::app_recover(&t.engine, &format!("web@k/{namespace}")).await.unwrap().expect("a rollback run");
    let recovery = wait(&t.engine, recovery.id).await;
    assert_eq!(recovery.status, RunStatus::Succeeded, "{:?}", log_text(&t.engine, recovery.id).await);
    assert_eq!(running_message(&namespace), "good");
    still_serves(&t.engine).await;
    api::app_action(&t.engine, &format!("web@k/{namespace}"), api::AppAction::Down).await.unwrap();
}
