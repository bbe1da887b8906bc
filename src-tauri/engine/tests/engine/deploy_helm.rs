//! Helm templates as runs and Helm releases as apps, with Helm 3 and Helm 4 against the real
//! Kubernetes of scripts/services/k8s.sh: an install that becomes a healthy app (revision 1), an
//! upgrade with a changed value, a failed upgrade (a readiness probe that never passes, a short
//! wait) recorded failed while the previous revision keeps serving, a rollback through
//! `api::app_rollback` recorded as "rollback to #1", uninstall, a release left pending (by an
//! interrupted upgrade, and by a cancelled first install) recovered through the app, bad values
//! refused before any cluster is touched and a missing cluster named. The chart is helm.rs's, in
//! a git source.

use std::time::Duration;

use simple_cicd_engine::api;
use simple_cicd_engine::deploy::helm::Helm;
use simple_cicd_engine::kube;
use simple_cicd_engine::model::{NewCluster, RepositoryInput, Run, RunStatus};

use crate::docker_support::unique;
use crate::helm::{helm_path, CHART};
use crate::kube_support::*;
use crate::support::*;

struct Setup {
    t: TestEngine,
    /// The git source: it must outlive every run of the test.
    _source: crate::git_servers::Fixture,
    major: u8,
    name: String,
    namespace: String,
    repo: String,
}

/// An engine driving Helm `major`, cluster `k` (the test cluster's admin context), a git source
/// holding the demo chart at deploy/chart, and a namespace of its own.
async fn setup(major: u8, tag: &str) -> Setup {
    let t = engine().await;
    use_test_cluster(&t.engine, None).await;
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
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let (name, namespace) = (unique(&format!("web{major}")), format!("dh{major}-{tag}-{nanos}"));
    Setup { t, _source: fx, major, name, namespace, repo }
}

impl Setup {
    /// The helm template: release `release`, MESSAGE as a parameter put into `set`, the probe
    /// path and wait as given.
    fn template(&self, release: &str, probe: &str, wait: u64) -> String {
        format!(
            "kind: helm\nname: {}\nsource: {{ repo: {}, ref: main }}\nparams:\n  - {{ name: MESSAGE, type: string, default: one }}\nchartPath: deploy/chart\nrelease: {release}\nnamespace: {}\ncluster: k\nwaitSeconds: {wait}\nvalues: |\n  probePath: {probe}\nset:\n  message: \"${{MESSAGE}}\"\n",
            self.name, self.repo, self.namespace
        )
    }

    async fn run(&self, message: &str) -> Run {
        let run = start(&self.t.engine, &self.name, &[("MESSAGE", message)]).await;
        self.wait(run.id).await
    }

    async fn wait(&self, id: i64) -> Run {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
        loop {
            let run = api::run_get(&self.t.engine, id).await.unwrap();
            if run.status.is_final() && !self.t.engine.active_runs().contains(&id) {
                return run;
            }
            assert!(tokio::time::Instant::now() < deadline, "run {id} did not end within 240 s: {run:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn log(&self, run: &Run) -> String {
        log_text(&self.t.engine, run.id).await.join("\n")
    }

    fn app(&self, release: &str) -> String {
        format!("{release}@k/{}", self.namespace)
    }

    /// The message annotation of the running Deployment's pod template.
    fn running_message(&self, release: &str) -> String {
        let out = std::process::Command::new(kubectl_path())
            .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy(), "-n", &self.namespace])
            .args(["get", "deployment", release, "-o", "jsonpath={.spec.template.metadata.annotations.message}"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    async fn helm(&self) -> (Helm, kube::Target) {
        let helm = Helm::detect(&helm_path(self.major)).await.unwrap();
        (helm, kube::cluster_target(&self.t.engine, "k").await.unwrap())
    }

    /// Waits until Helm records the release as pending, for as long as whatever drives it
    /// (`ended` says when that stopped) still runs, up to Helm's own 120 s timeout: under a
    /// loaded CI machine Helm can take well over 30 s to get there.
    async fn wait_pending(&self, release: &str, mut ended: impl FnMut() -> Option<String>) {
        let (helm, target) = self.helm().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(150);
        loop {
            if helm.pending(&target, release, &self.namespace).await.unwrap().is_some() {
                return;
            }
            if let Some(why) = ended() {
                panic!("the release {release} never became pending: {why}");
            }
            assert!(tokio::time::Instant::now() < deadline, "the release {release} was not pending within 150 s");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

async fn install_upgrade_fail_roll_back_uninstall(major: u8) {
    let s = setup(major, "life").await;
    apply(&s.t.engine, &s.template("web", "/", 90)).await;
    let first = s.run("one").await;
    let log = s.log(&first).await;
    assert_eq!(first.status, RunStatus::Succeeded, "Helm {major}: {:?}\n{log}", first.error);
    for stage in [
        "$ helm lint",
        "$ helm template web",
        "The chart renders 1 resource(s): Deployment/web",
        "$ helm upgrade --install web",
    ] {
        assert!(log.contains(stage), "the log shows each stage ({stage}): {log}");
    }
    assert!(log.contains("Revision #1 of app web in k/"), "{log}");
    assert_eq!(s.running_message("web"), "one");
    let steps = api::run_steps(&s.t.engine, first.id).await.unwrap();
    assert!(steps.is_empty(), "a one-step run");
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    assert_eq!((d.app.kind.as_str(), d.revisions.len()), ("helm", 1));
    assert_eq!((d.revisions[0].status.as_str(), d.revisions[0].helm_revision), ("deployed", Some(1)));
    assert!(d.healthy && !d.drifted, "Helm {major}: installed, ready, in sync: {d:?}");
    let h = d.helm.as_ref().expect("a helm app shows its release");
    assert_eq!((h.status.as_str(), h.helm_revision, h.workloads.len()), ("deployed", Some(1), 1));
    assert_eq!((h.workloads[0].ready, h.workloads[0].desired), (1, 1));
    assert!(
        d.revisions[0].config.contains("${MESSAGE}"),
        "the configuration keeps the variable: {}",
        d.revisions[0].config
    );

    let second = s.run("two").await;
    assert_eq!(second.status, RunStatus::Succeeded, "{:?}", second.error);
    assert_eq!(s.running_message("web"), "two", "the upgrade changed the value");

    apply(&s.t.engine, &s.template("web", "/nope", 8)).await;
    let failed = s.run("three").await;
    let log = s.log(&failed).await;
    assert_eq!(failed.status, RunStatus::Failed, "Helm {major}: a probe that never passes fails the upgrade\n{log}");
    assert!(failed.error.as_deref().unwrap_or_default().contains("UPGRADE FAILED"), "{:?}", failed.error);
    assert_eq!(s.running_message("web"), "two", "Helm {major}: the previous revision keeps running");
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    let newest = &d.revisions[0];
    assert_eq!((newest.number, newest.status.as_str()), (3, "failed"), "the failed upgrade is a revision");
    assert_eq!(newest.helm_revision, Some(4), "Helm rolled back: revision 3 failed, 4 is revision 2 again");
    let good = d.revisions.iter().find(|r| r.status == "deployed").unwrap();
    assert_eq!(good.number, 2, "the app's current revision stays the previous good one");
    assert!(d.healthy && !d.drifted, "what runs is what Helm left after its rollback: {d:?}");

    let rollback = api::app_rollback(&s.t.engine, &me(), &s.app("web"), 1).await.unwrap();
    assert_eq!(rollback.trigger, rollback_trigger(1));
    let rollback = s.wait(rollback.id).await;
    let log = s.log(&rollback).await;
    assert_eq!(rollback.status, RunStatus::Succeeded, "{:?}\n{log}", rollback.error);
    assert!(log.contains("back to Helm revision 1"), "{log}");
    assert_eq!(s.running_message("web"), "one", "Helm {major}: revision 1's values are served again");
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    let newest = &d.revisions[0];
    assert_eq!((newest.number, newest.trigger.clone(), newest.status.as_str()), (4, rollback_trigger(1), "deployed"));
    assert_eq!(newest.helm_revision, Some(5));
    assert!(d.healthy && !d.drifted, "{d:?}");

    let redeploy = api::app_redeploy(&s.t.engine, &me(), &s.app("web")).await.unwrap();
    let redeploy = s.wait(redeploy.id).await;
    assert_eq!(redeploy.status, RunStatus::Succeeded, "{:?}\n{}", redeploy.error, s.log(&redeploy).await);

    api::app_action(&s.t.engine, &me(), &s.app("web"), api::AppAction::Down).await.unwrap();
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    assert_eq!(d.helm.as_ref().map(|h| h.status.as_str()), Some("missing"), "uninstalled: {d:?}");
    assert!(d.services.is_empty() && !d.healthy);
}

#[tokio::test]
async fn helm_3_template_installs_upgrades_fails_rolls_back_and_uninstalls_as_an_app() {
    install_upgrade_fail_roll_back_uninstall(3).await;
}

#[tokio::test]
async fn helm_4_template_installs_upgrades_fails_rolls_back_and_uninstalls_as_an_app() {
    install_upgrade_fail_roll_back_uninstall(4).await;
}

async fn pending_releases_recovered(major: u8) {
    let s = setup(major, "pend").await;
    apply(&s.t.engine, &s.template("web", "/", 90)).await;
    assert_eq!(s.run("good").await.status, RunStatus::Succeeded);

    // An upgrade interrupted from outside: helm killed while it waits.
    let chart = tempfile::tempdir().unwrap();
    for (file, text) in CHART {
        std::fs::create_dir_all(chart.path().join(file).parent().unwrap()).unwrap();
        std::fs::write(chart.path().join(file), text).unwrap();
    }
    let mut raw = std::process::Command::new(helm_path(major))
        .args(["upgrade", "web", &chart.path().to_string_lossy(), "-n", &s.namespace, "--wait", "--timeout", "120s"])
        .args(["--set", "probePath=/nope", "--kube-context", "local"])
        .env("KUBECONFIG", admin_kubeconfig())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    s.wait_pending("web", || {
        raw.try_wait().unwrap().map(|status| {
            let mut err = String::new();
            std::io::Read::read_to_string(raw.stderr.as_mut().unwrap(), &mut err).unwrap();
            format!("helm upgrade ended first ({status}): {err}")
        })
    })
    .await;
    raw.kill().unwrap();
    raw.wait().unwrap();

    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    let h = d.helm.as_ref().unwrap();
    assert_eq!((h.status.as_str(), h.recover_to), ("pending-upgrade", Some(1)), "Helm {major}: {h:?}");
    assert!(h.pending.as_deref().unwrap_or_default().contains("roll it back to revision 1"), "{h:?}");
    assert!(d.drifted, "a pending release is not what was deployed");
    let changes = simple_cicd_engine::deploy::watch::check_apps(&s.t.engine).await.unwrap();
    let seen = changes.iter().find(|c| c.app == s.app("web")).expect("the watch looks at the helm app");
    assert_eq!(seen.now, simple_cicd_engine::deploy::watch::AppState::Drifted, "the watch calls it drifted");
    let refused = s.run("again").await;
    let error = refused.error.clone().unwrap_or_default();
    assert_eq!(refused.status, RunStatus::Failed);
    assert!(error.contains("stuck in pending-upgrade") && error.contains("roll it back to revision 1"), "{error}");
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    assert_eq!(d.revisions.len(), 1, "a launch refused before it changed anything records no revision");

    let recovery = api::app_recover(&s.t.engine, &me(), &s.app("web")).await.unwrap().expect("a rollback run");
    assert_eq!(recovery.trigger, rollback_trigger(1));
    let recovery = s.wait(recovery.id).await;
    assert_eq!(recovery.status, RunStatus::Succeeded, "{:?}\n{}", recovery.error, s.log(&recovery).await);
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    let h = d.helm.as_ref().unwrap();
    assert_eq!((h.status.as_str(), h.pending.as_deref()), ("deployed", None), "Helm {major}: recovered");
    assert!(d.healthy && !d.drifted, "{d:?}");
    assert_eq!(s.running_message("web"), "good");

    // A first install cancelled while Helm waits: left pending-install, recovered by uninstalling.
    apply(&s.t.engine, &s.template("first", "/nope", 120)).await;
    let run = start(&s.t.engine, &s.name, &[]).await;
    s.wait_pending("first", || {
        (!s.t.engine.active_runs().contains(&run.id)).then(|| format!("run {} ended first", run.id))
    })
    .await;
    api::run_cancel(&s.t.engine, &me(), run.id).await.unwrap();
    let run = s.wait(run.id).await;
    let log = s.log(&run).await;
    assert_eq!(run.status, RunStatus::Cancelled, "{log}");
    assert!(log.contains("helm was stopped") && log.contains("left pending-install"), "the run says so: {log}");
    assert!(log.contains("uninstall it"), "and what to do: {log}");
    let d = api::app_get(&s.t.engine, &s.app("first")).await.unwrap();
    assert_eq!(d.revisions[0].status, "failed", "the cancelled launch is recorded");
    let h = d.helm.as_ref().unwrap();
    assert_eq!((h.status.as_str(), h.recover_to), ("pending-install", None), "{h:?}");
    assert_eq!(api::app_recover(&s.t.engine, &me(), &s.app("first")).await.unwrap(), None, "uninstalled, no run");
    let d = api::app_get(&s.t.engine, &s.app("first")).await.unwrap();
    assert_eq!(d.helm.as_ref().map(|h| h.status.as_str()), Some("missing"));
    api::app_action(&s.t.engine, &me(), &s.app("web"), api::AppAction::Down).await.unwrap();
}

#[tokio::test]
async fn helm_3_release_left_pending_is_recovered_through_its_app() {
    pending_releases_recovered(3).await;
}

#[tokio::test]
async fn helm_4_release_left_pending_is_recovered_through_its_app() {
    pending_releases_recovered(4).await;
}

#[tokio::test]
async fn a_secret_in_set_reaches_helm_masked_in_the_log_and_never_stored() {
    let s = setup(3, "secret").await;
    file_secrets(&s.t.engine).await;
    let token = "s3cr3t-helm-token-value";
    simple_cicd_engine::secrets::secret_set(&s.t.engine, &me(), "HELM_TOKEN", token).await.unwrap();
    let text = s
        .template("web", "/", 90)
        .replace("params:\n", "params:\n  - { name: TOKEN, type: secret, secret: HELM_TOKEN, required: true }\n")
        + "  token: \"${TOKEN}\"\n";
    apply(&s.t.engine, &text).await;
    let run = s.run("one").await;
    let log = s.log(&run).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{:?}\n{log}", run.error);
    assert!(!log.contains(token), "the secret is not in the log: {log}");
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    let config = &d.revisions[0].config;
    assert!(config.contains("${TOKEN}") && !config.contains(token), "the revision keeps the reference: {config}");
    let out = std::process::Command::new(helm_path(3))
        .args(["get", "values", "web", "-n", &s.namespace, "--kube-context", "local", "-o", "json"])
        .env("KUBECONFIG", admin_kubeconfig())
        .output()
        .unwrap();
    let values = String::from_utf8_lossy(&out.stdout);
    assert!(values.contains(token), "Helm got the secret's value: {values}");
    api::app_action(&s.t.engine, &me(), &s.app("web"), api::AppAction::Down).await.unwrap();
}

#[tokio::test]
async fn a_rollback_to_a_revision_helm_no_longer_keeps_deploys_its_recorded_configuration() {
    let s = setup(4, "pruned").await;
    apply(&s.t.engine, &s.template("web", "/", 90)).await;
    assert_eq!(s.run("one").await.status, RunStatus::Succeeded);
    assert_eq!(s.run("two").await.status, RunStatus::Succeeded);
    // What Helm's --history-max does to old revisions: their record is gone from the cluster.
    let out = std::process::Command::new(kubectl_path())
        .args(["--kubeconfig", &admin_kubeconfig().to_string_lossy(), "-n", &s.namespace])
        .args(["delete", "secret", "sh.helm.release.v1.web.v1"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = api::app_rollback(&s.t.engine, &me(), &s.app("web"), 1).await.unwrap();
    let run = s.wait(run.id).await;
    let log = s.log(&run).await;
    assert_eq!(run.status, RunStatus::Succeeded, "{log}");
    assert!(log.contains("$ helm upgrade --install web"), "revision 1's configuration is upgraded to: {log}");
    assert_eq!(s.running_message("web"), "one", "with revision 1's parameters");
    let d = api::app_get(&s.t.engine, &s.app("web")).await.unwrap();
    assert_eq!((d.revisions[0].trigger.clone(), d.revisions[0].helm_revision), (rollback_trigger(1), Some(3)));
    api::app_action(&s.t.engine, &me(), &s.app("web"), api::AppAction::Down).await.unwrap();
}

#[tokio::test]
async fn the_step_time_limit_stops_helm_and_says_what_it_left_behind() {
    let s = setup(4, "limit").await;
    let text = s.template("web", "/nope", 120).replace("cluster: k\n", "cluster: k\ntimeoutSeconds: 8\n");
    apply(&s.t.engine, &text).await;
    let run = s.run("one").await;
    let log = s.log(&run).await;
    assert_eq!(run.status, RunStatus::TimedOut, "{log}");
    assert!(log.contains("time limit of 8 s ran out: helm was stopped"), "{log}");
    assert!(log.contains("left pending-install") && log.contains("uninstall it"), "the way out: {log}");
    assert_eq!(api::app_recover(&s.t.engine, &me(), &s.app("web")).await.unwrap(), None, "recovered by uninstalling");
}

#[tokio::test]
async fn bad_values_are_refused_with_line_and_column_before_any_cluster_is_touched() {
    let s = setup(4, "bad").await;
    let text = s.template("web", "/", 30).replace("values: |\n  probePath: /\n", "values: |\n  image:\n  \ttag: 1\n");
    let err = api::template_apply_yaml(&s.t.engine, &me(), &text).await.unwrap_err().to_string();
    assert!(err.contains("values") && err.contains("line 2, column"), "line and column: {err}");
    assert!(err.contains("a tab is used for indentation"), "a tab says so: {err}");
    let text = s.template("Web_1", "/", 30);
    let err = api::template_apply_yaml(&s.t.engine, &me(), &text).await.unwrap_err().to_string();
    assert!(err.contains("`Web_1` is not a release name"), "{err}");
    let text = s
        .template("web", "/", 30)
        .replace("chartPath: deploy/chart\n", "chartPath: deploy/chart\nchart: oci://localhost:5000/charts/demo\n");
    let err = api::template_apply_yaml(&s.t.engine, &me(), &text).await.unwrap_err().to_string();
    assert!(err.contains("not both"), "{err}");
}

#[tokio::test]
async fn a_missing_cluster_is_named_and_nothing_is_recorded() {
    let s = setup(3, "nocluster").await;
    apply(&s.t.engine, &s.template("web", "/", 30).replace("cluster: k\n", "cluster: nope\n")).await;
    let run = s.run("one").await;
    let error = run.error.clone().unwrap_or_default();
    assert_eq!(run.status, RunStatus::Failed);
    assert!(error.contains("the cluster `nope` does not exist (stored: k)"), "{error}");
    assert!(error.contains("nothing was sent to a cluster"), "{error}");
    assert!(api::app_list(&s.t.engine).await.unwrap().is_empty(), "no app for a launch that never reached a cluster");

    let text =
        s.template("web", "/", 30).replace(&format!("namespace: {}\n", s.namespace), "namespace: \"${MESSAGE}\"\n");
    apply(&s.t.engine, &text).await;
    let run = s.run("Not_A_Namespace").await;
    let error = run.error.clone().unwrap_or_default();
    assert!(error.contains("the namespace `Not_A_Namespace` is not a DNS-1123 name"), "checked once put in: {error}");
    assert!(api::app_list(&s.t.engine).await.unwrap().is_empty());
}
