//! The Kubernetes API server cut during a Helm upgrade, with Helm 3 and Helm 4: the engine
//! reaches the test cluster through a proxy (its kubeconfig's server is the proxy), installs a
//! release, then upgrades it with a readiness probe that never passes and cuts the proxy while
//! Helm waits (up to 300 s). The engine stops helm once the cluster has not answered for 30 s;
//! the run ends failed saying the cluster stopped answering and the way out, the log
//! is kept, the failed upgrade is a failed revision beside the deployed one, the previous pod
//! keeps running, no helm or kubectl is left, and the engine keeps serving. Once the server is
//! back, the release Helm left `pending-upgrade` is recovered through its app and a new upgrade
//! succeeds. The namespace is deleted however the test ends.

use std::process::Command;
use std::time::{Duration, Instant};

use simple_cicd_engine::api;
use simple_cicd_engine::model::{NewCluster, RepositoryInput, Run, RunStatus};
use simple_cicd_engine::Engine;

use crate::docker_support::unique;
use crate::fault_outcome::*;
use crate::fault_proxy::TcpProxy;
use crate::helm::{helm_path, CHART};
use crate::kube_support::*;
use crate::support::*;

/// Deletes the test's namespace (its release, pods and Helm records) when dropped.
struct NamespaceGuard(String);

impl Drop for NamespaceGuard {
    fn drop(&mut self) {
        // No assertion here: a panic while the test already unwinds would abort the binary.
        let _ = Command::new(kubectl_path())
            .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy()])
            .args(["delete", "namespace", &self.0, "--wait=false", "--ignore-not-found"])
            .output();
    }
}

/// kubectl with the admin kubeconfig: straight to the API server, never through the proxy.
fn kubectl(args: &[&str]) -> String {
    let out = Command::new(kubectl_path())
        .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy()])
        .args(args)
        .output()
        .expect("kubectl runs");
    assert!(out.status.success(), "kubectl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pods of the release: `message ready` per pod, from the admin side.
fn pods(namespace: &str) -> Vec<String> {
    let jsonpath =
        "{range .items[*]}{.metadata.annotations.message} {.status.containerStatuses[0].ready}{\"\\n\"}{end}";
    kubectl(&["-n", namespace, "get", "pods", "-l", "app=web", "-o", &format!("jsonpath={jsonpath}")])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Processes whose command line names `needle` (helm and kubectl name the namespace).
fn processes_naming(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
        let words: Vec<String> = cmdline.split(|b| *b == 0).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
        if words.iter().any(|w| w == needle) {
            found.push(format!("{pid} {}", words.join(" ")));
        }
    }
    found
}

fn template(name: &str, repo: &str, namespace: &str, probe: &str, wait: u64) -> String {
    format!(
        "kind: helm\nname: {name}\nsource: {{ repo: {repo}, ref: main }}\nparams:\n  - {{ name: MESSAGE, type: string, default: one }}\nchartPath: deploy/chart\nrelease: web\nnamespace: {namespace}\ncluster: k\nwaitSeconds: {wait}\nvalues: |\n  probePath: {probe}\nset:\n  message: \"${{MESSAGE}}\"\n"
    )
}

async fn run(engine: &Engine, name: &str, message: &str) -> Run {
    end(engine, start(engine, name, &[("MESSAGE", message)]).await.id).await
}

async fn end(engine: &Engine, id: i64) -> Run {
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

#[tokio::test]
async fn the_api_server_cut_mid_helm_3_upgrade_fails_the_run_clearly_and_the_release_is_recovered_after() {
    cut_mid_upgrade(3).await;
}

#[tokio::test]
async fn the_api_server_cut_mid_helm_4_upgrade_fails_the_run_clearly_and_the_release_is_recovered_after() {
    cut_mid_upgrade(4).await;
}

async fn cut_mid_upgrade(major: u8) {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let namespace = format!("fault-helm{major}-{}-{nanos}", std::process::id());
    // The guard's own kubectl and kubeconfig are checked here, before it can be dropped.
    let server = admin_doc()["clusters"][0]["cluster"]["server"].as_str().unwrap().to_string();
    kubectl_path();
    let _guard = NamespaceGuard(namespace.clone());
    let api_addr: std::net::SocketAddr =
        server.trim_start_matches("https://").parse().expect("the test cluster's server is https://IP:PORT");
    let mut proxy = TcpProxy::throttled(api_addr, None);
    let port = proxy.port;

    let t = engine().await;
    let via_proxy = kubeconfig_with(|doc| {
        doc["clusters"][0]["cluster"]["server"] = format!("https://127.0.0.1:{port}").into();
    });
    let kubeconfig = t.dir.path().join("kubeconfig-via-proxy");
    std::fs::write(&kubeconfig, via_proxy).unwrap();
    use_test_cluster(&t.engine, Some(&kubeconfig)).await;
    let new = NewCluster { name: "k".into(), context: Some("local".into()), ..NewCluster::default() };
    api::cluster_add(&t.engine, &me(), new).await.unwrap();
    let helm = helm_path(major).to_string_lossy().into_owned();
    simple_cicd_engine::settings::config_set(&t.engine, &me(), "kube.helm", &helm).await.unwrap();
    let fx = crate::git_servers::Fixture::new();
    for (file, text) in CHART {
        let path = fx.work.join("deploy/chart").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    fx.commit("main", "deploy/chart/README", "the demo chart\n");
    let repo = unique("charts");
    add_repo(&t.engine, RepositoryInput { name: repo.clone(), url: fx.file_url(), ..Default::default() }).await;
    let name = unique("cut-helm");
    let app = format!("web@k/{namespace}");

    apply(&t.engine, &template(&name, &repo, &namespace, "/", 90)).await;
    let first = run(&t.engine, &name, "one").await;
    assert_eq!(first.status, RunStatus::Succeeded, "{:?}\n{:?}", first.error, log_text(&t.engine, first.id).await);
    assert!(proxy.bytes() > 0, "the engine reached the cluster through the proxy");

    // The upgrade's pod never becomes ready: Helm is surely still waiting when the server goes.
    // Helm would retry until its 300 s timeout; the engine stops it once the cluster has not
    // answered for 30 s.
    apply(&t.engine, &template(&name, &repo, &namespace, "/nope", 300)).await;
    let upgrade = start(&t.engine, &name, &[("MESSAGE", "two")]).await;
    wait_for_line(&t.engine, upgrade.id, "$ helm upgrade --install web").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !pods(&namespace).iter().any(|p| p.starts_with("two ")) {
        assert!(tokio::time::Instant::now() < deadline, "the upgrade's pod never appeared: {:?}", pods(&namespace));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;

    let fault = Instant::now();
    proxy.cut();
    let failed = end(&t.engine, upgrade.id).await;
    let left = processes_naming(&namespace);
    report_run(&format!("Kubernetes API server cut during a Helm {major} upgrade"), &failed, &left, fault);
    assert_eq!(failed.status, RunStatus::Failed, "Helm {major}: {failed:?}");
    message_says(
        &failed,
        &["the cluster k stopped answering", "connection refused", "release web"],
        &["scicd cluster test k", "Recover", &format!("scicd app recover {app}"), "run again"],
    );
    let log = log_text(&t.engine, failed.id).await.join("\n");
    assert!(log.contains("$ helm upgrade --install web"), "the log up to the cut is kept: {log}");
    assert!(
        log.contains(
            "The cluster has not answered for 30 s (connection refused): helm was stopped while it changed release web"
        ),
        "the engine stopped helm, not helm's 300 s timeout: {log}"
    );
    assert!(log.contains("The release's status cannot be read"), "the log says the release could not be read: {log}");
    assert!(left.is_empty(), "no helm or kubectl is left running: {left:?}");
    let running = pods(&namespace);
    assert!(running.iter().any(|p| p == "one true"), "the previous release's pod keeps serving: {running:?}");
    let d = api::app_get(&t.engine, &app).await.unwrap();
    let statuses: Vec<(u32, &str)> = d.revisions.iter().map(|r| (r.number, r.status.as_str())).collect();
    assert_eq!(statuses, [(2, "failed"), (1, "deployed")], "the cut upgrade is a failed revision, #1 stays current");
    assert!(d.services_error.is_some(), "the app says its cluster cannot be read while it is cut: {d:?}");
    still_serves(&t.engine).await;

    // The API server is back at the same address: the way out the app offers works, and a new
    // upgrade succeeds.
    drop(proxy);
    let _back = TcpProxy::on_port(port, api_addr);
    let d = api::app_get(&t.engine, &app).await.unwrap();
    let h = d.helm.as_ref().unwrap_or_else(|| panic!("the release is read again: {d:?}"));
    // Helm could not record the upgrade's end: the release stays pending, and the app offers the
    // way out.
    assert_eq!((h.status.as_str(), h.recover_to), ("pending-upgrade", Some(1)), "Helm {major}: {h:?}");
    assert!(h.pending.as_deref().unwrap_or_default().contains("roll it back to revision 1"), "{h:?}");
    let recovery = api::app_recover(&t.engine, &me(), &app).await.unwrap().expect("a rollback run");
    let recovery = end(&t.engine, recovery.id).await;
    let log = log_text(&t.engine, recovery.id).await;
    assert_eq!(recovery.status, RunStatus::Succeeded, "{:?}\n{log:?}", recovery.error);
    let h = api::app_get(&t.engine, &app).await.unwrap().helm.unwrap();
    assert_eq!((h.status.as_str(), h.pending.as_deref()), ("deployed", None), "recovered: {h:?}");
    apply(&t.engine, &template(&name, &repo, &namespace, "/", 90)).await;
    let again = run(&t.engine, &name, "three").await;
    assert_eq!(again.status, RunStatus::Succeeded, "{:?}\n{:?}", again.error, log_text(&t.engine, again.id).await);
    let d = api::app_get(&t.engine, &app).await.unwrap();
    assert_eq!((d.revisions[0].status.as_str(), d.healthy, d.drifted), ("deployed", true, false), "{d:?}");
    let running = kubectl(&[
        "-n",
        &namespace,
        "get",
        "deployment",
        "web",
        "-o",
        "jsonpath={.spec.template.metadata.annotations.message}",
    ]);
    assert_eq!(running, "three", "the new upgrade is what runs");
    api::app_action(&t.engine, &me(), &app, api::AppAction::Down).await.unwrap();
}
