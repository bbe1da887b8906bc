//! Helm charts that are not in the source, deployed as runs against the real cluster: a chart
//! pushed to an OCI registry that wants a login (a real docker-registry with htpasswd, spoken to
//! over plain HTTP), reached with the credentials of the registry stored in simple-cicd; and a
//! chart by name and version from a chart repository (an `index.yaml` served over HTTP).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use simple_cicd_engine::api;
use simple_cicd_engine::model::{NewCluster, NewRegistry, Run, RunStatus};

use crate::docker_support::{free_port, unique, wait_for_port, Service, TestRegistry};
use crate::helm::{helm_path, CHART};
use crate::kube_support::*;
use crate::support::*;

/// The demo chart packaged as `demo-0.1.0.tgz` in `dir`.
fn package_chart(dir: &Path) -> std::path::PathBuf {
    let src = dir.join("demo");
    for (file, text) in CHART {
        std::fs::create_dir_all(src.join(file).parent().unwrap()).unwrap();
        std::fs::write(src.join(file), text).unwrap();
    }
    helm_ok(&["package", &src.to_string_lossy(), "-d", &dir.to_string_lossy()], dir);
    dir.join("demo-0.1.0.tgz")
}

/// Runs helm 4 with a home of its own under `dir`; panics with what it said when it fails.
fn helm_ok(args: &[&str], dir: &Path) -> String {
    let home = dir.join("helm-home");
    let out = Command::new(helm_path(4))
        .args(args)
        .env("HELM_CACHE_HOME", home.join("cache"))
        .env("HELM_CONFIG_HOME", home.join("config"))
        .env("HELM_DATA_HOME", home.join("data"))
        .output()
        .unwrap();
    assert!(out.status.success(), "helm {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// An engine driving Helm `major` against cluster `k`, and a namespace of its own.
async fn engine_with_cluster(major: u8, tag: &str) -> (TestEngine, String) {
    let t = engine().await;
    file_secrets(&t.engine).await;
    use_test_cluster(&t.engine, None).await;
    let new = NewCluster { name: "k".into(), context: Some("local".into()), ..NewCluster::default() };
    api::cluster_add(&t.engine, &me(), new).await.unwrap();
    let helm = helm_path(major).to_string_lossy().into_owned();
    simple_cicd_engine::settings::config_set(&t.engine, &me(), "kube.helm", &helm).await.unwrap();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    (t, format!("dc{major}-{tag}-{nanos}"))
}

async fn wait(t: &TestEngine, id: i64) -> Run {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    loop {
        let run = api::run_get(&t.engine, id).await.unwrap();
        if run.status.is_final() && !t.engine.active_runs().contains(&id) {
            return run;
        }
        assert!(tokio::time::Instant::now() < deadline, "run {id} did not end within 240 s: {run:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn running_message(namespace: &str, release: &str) -> String {
    let out = Command::new(kubectl_path())
        .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy(), "-n", namespace])
        .args(["get", "deployment", release, "-o", "jsonpath={.spec.template.metadata.annotations.message}"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Removes the test's namespace (and the release in it) without waiting.
fn drop_namespace(namespace: &str) {
    let _ = Command::new(kubectl_path())
        .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy(), "delete", "namespace", namespace, "--wait=false"])
        .output();
}

#[tokio::test]
async fn an_oci_chart_behind_a_login_deploys_with_the_stored_registry_credentials() {
    let registry = TestRegistry::start(Some(("ci", "chart-s3cret"))).await;
    let (t, namespace) = engine_with_cluster(4, "oci").await;
    let dir = tempfile::tempdir().unwrap();
    let tgz = package_chart(dir.path());
    let config = dir.path().join("push-config.json");
    let cfg = config.to_string_lossy().into_owned();
    let login = Command::new(helm_path(4))
        .args(["registry", "login", &registry.host, "--username", "ci", "--password-stdin", "--plain-http"])
        .args(["--registry-config", &cfg])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"chart-s3cret")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(login.status.success(), "{}", String::from_utf8_lossy(&login.stderr));
    let target = format!("oci://{}/charts", registry.host);
    helm_ok(&["push", &tgz.to_string_lossy(), &target, "--plain-http", "--registry-config", &cfg], dir.path());

    let name = unique("ocichart");
    let yaml = format!(
        "kind: helm\nname: {name}\nchart: oci://{}/charts/demo\nversion: 0.1.0\nrelease: web\nnamespace: {namespace}\ncluster: k\nwaitSeconds: 120\nset:\n  message: from-oci\n",
        registry.host
    );
    apply(&t.engine, &yaml).await;

    // Not yet known to simple-cicd: the registry refuses, and nothing reaches the cluster.
    let refused = wait(&t, start(&t.engine, &name, &[]).await.id).await;
    let log = log_text(&t.engine, refused.id).await.join("\n");
    assert_eq!(refused.status, RunStatus::Failed, "{log}");
    assert!(log.contains("nothing was sent to the cluster"), "{log}");
    assert!(log.contains(&format!("the registry {} wants a login", registry.host)), "what to do: {log}");
    assert_eq!(running_message(&namespace, "web"), "", "no release was made");

    api::registry_add(
        &t.engine,
        &me(),
        NewRegistry {
            name: "charts".into(),
            url: registry.host.clone(),
            username: Some("ci".into()),
            password: Some("chart-s3cret".into()),
        },
    )
    .await
    .unwrap();
    let run = wait(&t, start(&t.engine, &name, &[]).await.id).await;
    let log = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{log}");
    assert_eq!(running_message(&namespace, "web"), "from-oci");
    assert!(!log.contains("chart-s3cret"), "the password never reaches the log: {log}");
    let leftovers: Vec<_> = walk(t.dir.path()).into_iter().filter(|p| p.ends_with("registry-config.json")).collect();
    assert!(leftovers.is_empty(), "the credentials file does not outlive the run: {leftovers:?}");
    drop_namespace(&namespace);
}

#[tokio::test]
async fn a_chart_from_a_chart_repository_deploys_by_name_and_version() {
    let (t, namespace) = engine_with_cluster(3, "repo").await;
    let served = tempfile::tempdir().unwrap();
    package_chart(served.path());
    std::fs::remove_dir_all(served.path().join("demo")).unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    helm_ok(&["repo", "index", &served.path().to_string_lossy(), "--url", &url], served.path());
    let mut child = Command::new("python3")
        .args(["-m", "http.server", &port.to_string(), "--bind", "127.0.0.1", "--directory"])
        .arg(served.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 serves the chart repository");
    wait_for_port(port, "the chart repository (python3 -m http.server)", &mut child).await;
    let _server = Service::new(child, served);

    let name = unique("repochart");
    let yaml = format!(
        "kind: helm\nname: {name}\nchart: demo\nrepo: {url}\nversion: 0.1.0\nrelease: web\nnamespace: {namespace}\ncluster: k\nwaitSeconds: 120\nset:\n  message: from-repo\n"
    );
    apply(&t.engine, &yaml).await;
    let run = wait(&t, start(&t.engine, &name, &[]).await.id).await;
    let log = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Succeeded, "{log}");
    assert!(log.contains(&format!("chart demo 0.1.0 of {url}")), "{log}");
    assert_eq!(running_message(&namespace, "web"), "from-repo");

    let missing = yaml.replace("version: 0.1.0", "version: 9.9.9");
    apply(&t.engine, &missing).await;
    let run = wait(&t, start(&t.engine, &name, &[]).await.id).await;
    let log = log_text(&t.engine, run.id).await.join("\n");
    assert_eq!(run.status, RunStatus::Failed, "{log}");
    assert!(log.contains("9.9.9") && log.contains("nothing was sent to the cluster"), "{log}");
    assert_eq!(running_message(&namespace, "web"), "from-repo", "the running release is untouched");
    drop_namespace(&namespace);
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
