//! The Helm driver with Helm 3 and Helm 4 against the real Kubernetes of scripts/services/k8s.sh:
//! install, upgrade, history, rollback, uninstall, a failed upgrade rolled back, releases left
//! pending by an interrupted helm and their way out. The chart is the tests' own: a Deployment of
//! the cluster's local `nginx:1.16.0` stand-in whose readiness probe path is a value.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use simple_cicd_engine::api;
use simple_cicd_engine::deploy::helm::{Helm, HelmError, Recovery, UpgradeSpec};
use simple_cicd_engine::kube::{self, Target};
use simple_cicd_engine::model::NewCluster;

use crate::kube_support::*;
use crate::support::*;

/// Helm `major`'s binary (scripts/deploy-tools.sh installs both).
pub fn helm_path(major: u8) -> PathBuf {
    let var = format!("SIMPLE_CICD_HELM{major}");
    let path = std::env::var_os(&var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(format!("/var/cache/simple-cicd/tools/helm{major}/helm")));
    assert!(path.is_file(), "Helm {major} ({}) is missing: install it with scripts/deploy-tools.sh", path.display());
    path
}

/// The tests' chart: a Deployment of the local `nginx:1.16.0` stand-in, its message and
/// readiness probe path as values.
pub const CHART: &[(&str, &str)] = &[
    ("Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\nappVersion: \"1\"\n"),
    ("values.yaml", "message: hello\nprobePath: /\n"),
    (
        "templates/deployment.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
      annotations: {message: {{ .Values.message | quote }}}
    spec:
      containers:
      - name: web
        image: nginx:1.16.0
        imagePullPolicy: Never
        ports: [{containerPort: 80, name: http}]
        readinessProbe:
          httpGet: {path: {{ .Values.probePath | quote }}, port: http}
          periodSeconds: 1
"#,
    ),
];

struct Setup {
    t: TestEngine,
    helm: Helm,
    target: Target,
    chart: String,
    namespace: String,
}

/// An engine with cluster `k` (the test cluster's admin context), Helm `major` with its own home,
/// the demo chart, and a namespace of its own.
async fn setup(major: u8, tag: &str) -> Setup {
    let t = engine().await;
    use_test_cluster(&t.engine, None).await;
    let new = NewCluster { name: "k".into(), context: Some("local".into()), ..NewCluster::default() };
    api::cluster_add(&t.engine, &me(), new).await.unwrap();
    let target = kube::cluster_target(&t.engine, "k").await.unwrap();
    let helm = Helm::detect(&helm_path(major)).await.unwrap().with_home(&t.dir.path().join("helm-home"));
    let chart = t.dir.path().join("demo");
    for (file, text) in CHART {
        std::fs::create_dir_all(chart.join(file).parent().unwrap()).unwrap();
        std::fs::write(chart.join(file), text).unwrap();
    }
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let namespace = format!("h{major}-{tag}-{nanos}");
    Setup { t, helm, target, chart: chart.to_string_lossy().into_owned(), namespace }
}

impl Setup {
    fn spec(&self, release: &str, set: &[(&str, &str)], timeout_s: u64) -> UpgradeSpec {
        UpgradeSpec {
            release: release.into(),
            chart: self.chart.clone(),
            repo: None,
            version: None,
            namespace: self.namespace.clone(),
            values_files: Vec::new(),
            set: set.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            set_files: Vec::new(),
            timeout: Duration::from_secs(timeout_s),
            access: Default::default(),
        }
    }

    /// The message annotation of the running Deployment's pod template.
    fn running_message(&self, release: &str) -> String {
        let out = Command::new(kubectl_path())
            .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy(), "-n", &self.namespace])
            .args(["get", "deployment", release, "-o", "jsonpath={.spec.template.metadata.annotations.message}"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts a raw helm upgrade that waits on a probe that never passes (no rollback), and kills
    /// it as soon as the release is pending: what an interrupted deploy leaves behind. If helm
    /// gives up before that, the panic carries what it said.
    async fn interrupted_upgrade(&self, release: &str, helm: &Path) {
        let home = self.t.dir.path().join("helm-home");
        let log_path = self.t.dir.path().join(format!("interrupted-{release}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        let mut child = Command::new(helm)
            .args(["upgrade", "--install", release, &self.chart, "-n", &self.namespace, "--create-namespace"])
            .args(["--wait", "--timeout", "120s", "--set", "probePath=/nope", "--kube-context", "local"])
            .env("KUBECONFIG", admin_kubeconfig())
            .env("HELM_CACHE_HOME", home.join("cache"))
            .env("HELM_CONFIG_HOME", home.join("config"))
            .env("HELM_DATA_HOME", home.join("data"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let said = || std::fs::read_to_string(&log_path).unwrap_or_default();
        // Generous: on a loaded machine helm may take a while to record the pending revision.
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        while std::time::Instant::now() < deadline {
            if self.helm.pending(&self.target, release, &self.namespace).await.unwrap().is_some() {
                child.kill().unwrap();
                child.wait().unwrap();
                return;
            }
            if let Some(status) = child.try_wait().unwrap() {
                let history = self.helm.history(&self.target, release, &self.namespace).await;
                panic!("helm upgrade of {release} ended ({status}) before the release was pending:\n{}\nhistory: {history:?}", said());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let history = self.helm.history(&self.target, release, &self.namespace).await;
        panic!(
            "the release {release} did not become pending within 90 s; helm said:\n{}\nhistory: {history:?}",
            said()
        );
    }
}

#[tokio::test]
async fn helm_3_and_4_are_told_apart_and_anything_else_is_refused() {
    assert_eq!(Helm::detect(&helm_path(3)).await.unwrap().major(), 3);
    let h4 = Helm::detect(&helm_path(4)).await.unwrap();
    assert!(h4.major() == 4 && h4.version().starts_with("v4."), "{}", h4.version());
    let err = Helm::detect(Path::new("/bin/echo")).await.unwrap_err();
    assert!(matches!(err, HelmError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("simple-cicd drives Helm 3 and Helm 4"), "{err}");
    let err = Helm::find("/nonexistent/helm").await.unwrap_err();
    assert!(err.to_string().contains("cannot be run"), "{err}");
}

async fn full_lifecycle(major: u8) {
    let s = setup(major, "life").await;
    s.helm.lint(&s.chart, &[]).await.expect("the demo chart lints");
    let rendered = s.helm.template(&s.spec("web", &[("message", "one,two")], 60)).await.unwrap();
    assert!(rendered.contains("message: \"one,two\""), "a comma in a --set value stays in it: {rendered}");

    let r = s.helm.upgrade_install(&s.target, &s.spec("web", &[("message", "one")], 90)).await.unwrap();
    assert_eq!((r.revision, r.status.as_str()), (1, "deployed"), "Helm {major}: {r:?}");
    assert_eq!(s.running_message("web"), "one");
    let r = s.helm.upgrade_install(&s.target, &s.spec("web", &[("message", "two")], 90)).await.unwrap();
    assert_eq!((r.revision, r.status.as_str()), (2, "deployed"));
    assert_eq!(s.running_message("web"), "two");

    s.helm.rollback(&s.target, "web", &s.namespace, 1, Duration::from_secs(90)).await.unwrap();
    assert_eq!(s.running_message("web"), "one", "Helm {major}: the rollback serves revision 1's values again");
    let status = s.helm.status(&s.target, "web", &s.namespace).await.unwrap().expect("the release exists");
    assert_eq!(
        (status.revision, status.status.as_str(), status.description.as_str()),
        (3, "deployed", "Rollback to 1")
    );
    let history = s.helm.history(&s.target, "web", &s.namespace).await.unwrap();
    let statuses: Vec<_> = history.iter().map(|r| (r.revision, r.status.as_str())).collect();
    assert_eq!(statuses, [(1, "superseded"), (2, "superseded"), (3, "deployed")], "Helm {major}");

    s.helm.uninstall(&s.target, "web", &s.namespace, Duration::from_secs(60)).await.unwrap();
    assert_eq!(s.helm.status(&s.target, "web", &s.namespace).await.unwrap(), None, "Helm {major}: uninstalled");
    assert!(s.helm.history(&s.target, "web", &s.namespace).await.unwrap().is_empty());
}

#[tokio::test]
async fn helm_3_installs_upgrades_rolls_back_and_uninstalls() {
    full_lifecycle(3).await;
}

#[tokio::test]
async fn helm_4_installs_upgrades_rolls_back_and_uninstalls() {
    full_lifecycle(4).await;
}

async fn failed_upgrade(major: u8) {
    let s = setup(major, "fail").await;
    s.helm.upgrade_install(&s.target, &s.spec("web", &[("message", "good")], 90)).await.unwrap();
    let err = s
        .helm
        .upgrade_install(&s.target, &s.spec("web", &[("message", "bad"), ("probePath", "/nope")], 8))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, HelmError::Failed { .. }) && text.contains("UPGRADE FAILED") && text.contains("rolled back"),
        "Helm {major} says the upgrade failed and was rolled back: {text}"
    );
    assert_eq!(s.running_message("web"), "good", "Helm {major}: the previous revision keeps running");
    let status = s.helm.status(&s.target, "web", &s.namespace).await.unwrap().unwrap();
    assert_eq!((status.revision, status.status.as_str()), (3, "deployed"), "{status:?}");
    let history = s.helm.history(&s.target, "web", &s.namespace).await.unwrap();
    assert_eq!(history[1].status, "failed", "revision 2 is recorded as failed: {history:?}");
}

#[tokio::test]
async fn helm_3_rolls_back_a_failed_upgrade_with_atomic() {
    failed_upgrade(3).await;
}

#[tokio::test]
async fn helm_4_rolls_back_a_failed_upgrade_with_rollback_on_failure() {
    failed_upgrade(4).await;
}

async fn pending_recovered(major: u8) {
    let s = setup(major, "pend").await;
    let helm = helm_path(major);
    s.helm.upgrade_install(&s.target, &s.spec("web", &[("message", "good")], 90)).await.unwrap();
    s.interrupted_upgrade("web", &helm).await;
    let p = s.helm.pending(&s.target, "web", &s.namespace).await.unwrap().expect("the release is pending");
    assert_eq!((p.status.as_str(), p.revision, &p.recovery), ("pending-upgrade", 2, &Recovery::RollbackTo(1)));
    let err = s.helm.upgrade_install(&s.target, &s.spec("web", &[], 30)).await.unwrap_err();
    assert!(matches!(err, HelmError::Pending { .. }), "an upgrade of a pending release is refused first: {err}");
    assert!(
        err.to_string().contains("stuck in pending-upgrade (revision 2)")
            && err.to_string().contains("roll it back to revision 1"),
        "{err}"
    );
    s.helm.rollback(&s.target, "web", &s.namespace, 1, Duration::from_secs(90)).await.unwrap();
    assert_eq!(s.helm.pending(&s.target, "web", &s.namespace).await.unwrap(), None, "Helm {major}: recovered");
    assert_eq!(s.running_message("web"), "good");

    s.interrupted_upgrade("first", &helm).await;
    let p = s.helm.pending(&s.target, "first", &s.namespace).await.unwrap().expect("the first install is pending");
    assert_eq!((p.status.as_str(), &p.recovery), ("pending-install", &Recovery::Uninstall), "Helm {major}");
    s.helm.uninstall(&s.target, "first", &s.namespace, Duration::from_secs(60)).await.unwrap();
    assert_eq!(s.helm.status(&s.target, "first", &s.namespace).await.unwrap(), None);
}

#[tokio::test]
async fn helm_3_release_left_pending_is_detected_and_recovered() {
    pending_recovered(3).await;
}

#[tokio::test]
async fn helm_4_release_left_pending_is_detected_and_recovered() {
    pending_recovered(4).await;
}

#[tokio::test]
async fn lint_names_the_template_a_broken_chart_fails_in() {
    for major in [3, 4] {
        let s = setup(major, "lint").await;
        std::fs::write(Path::new(&s.chart).join("templates/broken.yaml"), "kind: {{ .Values.message\n").unwrap();
        let err = s.helm.lint(&s.chart, &[]).await.unwrap_err().to_string();
        assert!(err.starts_with("helm lint ") && err.contains("broken.yaml"), "Helm {major} names the file: {err}");
    }
}
