//! A helm step, stage by stage, so that bad input never reaches the cluster and an interrupted
//! upgrade says what it may have left behind:
//!
//! 1. checks that need no cluster: the cluster is stored, the values are YAML, the `set` values'
//!    variables exist, the chart of the source is there, helm is installed (3 or 4);
//! 2. `helm lint` (a chart of the source) and `helm template`: the chart renders with these values;
//! 3. `helm upgrade --install --wait` with rollback on failure (a release stuck `pending-*` is
//!    refused first, with the way out), the workloads' readiness logged while Helm waits;
//!    or, for an app's rollback, `helm rollback` to the revision asked;
//! 4. `helm status` and the workloads' readiness, for the app's revision.
//!
//! Helm's output is captured by the driver and logged after each stage. A cancel or the step's time
//! limit kills helm (`kill_on_drop`) and the log says whether the release was left pending and how
//! to get it out. `set` values that use variables (secrets among them) reach Helm by `--set-file`
//! from files only the user can read, never on a command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::watch;

use super::stage::{log_lines, Stage};
use super::workloads::{self, workloads_in};
use super::{Helm, UpgradeSpec};
use crate::exec::{StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{Cluster, HelmBody, ServiceState};
use crate::template::expand;
use crate::{settings, Engine};

/// How long Helm waits for ready workloads when the body does not say.
pub(crate) const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// A helm step to run.
pub(crate) struct HelmLaunch<'a> {
    pub engine: &'a Engine,
    pub body: &'a HelmBody,
    /// The template's or step's name (the default release).
    pub name: &'a str,
    /// The template whose run launches it (the app's template).
    pub template: &'a str,
    /// The run's workspace (`chartPath` is relative to it).
    pub workspace: &'a Path,
    /// A private directory of the launch's own (values file, `--set-file` files).
    pub dir: PathBuf,
    /// The run's variables, for `${NAME}` in `set`, `release` and `namespace`.
    pub env: &'a [(String, String)],
    /// The step's time limit.
    pub timeout: Option<Duration>,
}

/// What a helm step did.
pub(crate) struct HelmLaunched {
    pub outcome: StepOutcome,
    /// The release's name (empty when the step stopped before it was known).
    pub release: String,
    /// What the app's revision records, once the cluster was asked to change.
    pub record: Option<HelmRecord>,
}

/// A launch as the app's revision records it.
pub(crate) struct HelmRecord {
    /// `CLUSTER/NAMESPACE`.
    pub target: String,
    /// The body as written (variables not put in), cluster, namespace and release filled in.
    pub config: String,
    /// The release's revision after the launch.
    pub helm_revision: Option<u32>,
    /// The workloads after the launch.
    pub services: Vec<ServiceState>,
    pub deployed: bool,
    pub error: Option<String>,
}

pub(crate) fn refused(release: &str, why: impl Into<String>) -> HelmLaunched {
    HelmLaunched { outcome: StepOutcome::FailedBecause(why.into()), release: release.to_string(), record: None }
}

/// The stored cluster a body names, else the one called `default`, else the only one; or why not.
pub(crate) async fn resolve_cluster(engine: &Engine, named: Option<&str>) -> Result<Cluster, String> {
    let all = engine.store().cluster_all().await.map_err(|e| e.to_string())?;
    let names = || all.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ");
    match named.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => all.iter().find(|c| c.name == n).cloned().ok_or_else(|| {
            let stored = if all.is_empty() { "none is stored".to_string() } else { format!("stored: {}", names()) };
            format!("the cluster `{n}` does not exist ({stored}): add it on the Clusters page or with `scicd cluster add {n} --context CONTEXT`, or name another in `cluster`")
        }),
        None => match (all.iter().find(|c| c.name == "default"), all.len()) {
            (Some(c), _) => Ok(c.clone()),
            (None, 1) => Ok(all[0].clone()),
            (None, 0) => Err("no cluster is stored: add one on the Clusters page (or `scicd cluster add`), then name it in `cluster`".into()),
            (None, _) => Err(format!("several clusters are stored ({}): name one in `cluster`", names())),
        },
    }
}

/// Runs the step. `Err` only when simple-cicd itself cannot go on (its store, its files).
pub(crate) async fn launch(
    l: HelmLaunch<'_>,
    log: &LogWriter,
    mut stop: watch::Receiver<StopReason>,
) -> crate::Result<HelmLaunched> {
    let vars: BTreeMap<String, String> = l.env.iter().cloned().collect();
    let put = |field: &str, text: &str| expand(text, &vars).map_err(|m| format!("`{field}`: {m}"));
    let release = match put("release", &crate::template::release_name(l.body, l.name)) {
        Ok(r) => r,
        Err(why) => return Ok(refused("", why)),
    };
    let cluster = match resolve_cluster(l.engine, l.body.cluster.as_deref()).await {
        Ok(c) => c,
        Err(why) => return Ok(refused(&release, format!("{why}; nothing was sent to a cluster"))),
    };
    let namespace = match l.body.namespace.as_deref().map(|n| put("namespace", n)).transpose() {
        Ok(ns) => ns.unwrap_or_else(|| cluster.namespace.clone()),
        Err(why) => return Ok(refused(&release, why)),
    };
    // Names that came from variables are checked once they are put in.
    for (what, name, max) in [("release", &release, 53), ("namespace", &namespace, 63)] {
        if !crate::template::dns_label_ok(name, max) {
            return Ok(refused(&release, format!("the {what} `{name}` is not a DNS-1123 name (lower case letters, digits and '-', at most {max}); nothing was sent to the cluster")));
        }
    }
    let config = HelmBody {
        cluster: Some(cluster.name.clone()),
        namespace: Some(namespace.clone()),
        release: Some(release.clone()),
        rollback_to: None,
        ..l.body.clone()
    };
    let config = serde_yaml::to_string(&config).expect("a helm body always serialises");
    let target_name = format!("{}/{namespace}", cluster.name);

    std::fs::create_dir_all(&l.dir).map_err(|e| crate::Error::io(format!("cannot create {}", l.dir.display()), e))?;
    let mut spec = match prepare(&l, &vars, &release, &namespace) {
        Ok(spec) => spec,
        Err(why) => return Ok(refused(&release, format!("{why}; nothing was sent to the cluster"))),
    };
    spec.access = super::oci::chart_access(l.engine, &spec.chart, &l.dir).await?;
    let helm = match Helm::find(&settings::text(l.engine, "kube.helm").await).await {
        Ok(h) => h,
        Err(e) => return Ok(refused(&release, e.to_string())),
    };
    let target = crate::kube::target(l.engine, &cluster).await?;
    let kubectl = crate::kube::kubectl(l.engine).await.ok();
    let mut run = Stage { helm: &helm, target: &target, kubectl: kubectl.as_ref(), namespace: &namespace, log };

    if let Some(to) = l.body.rollback_to {
        log.system(format!(
            "Rolling Helm release {release} in cluster {}, namespace {namespace}, back to Helm revision {to} (Helm {})",
            cluster.name,
            helm.version()
        ))
        .await;
        let before = helm.status(&target, &release, &namespace).await.ok().flatten();
        let watched = before.as_ref().map(|r| workloads_in(&r.manifest)).unwrap_or_default();
        let wait = l.body.wait_seconds.map(Duration::from_secs).unwrap_or(DEFAULT_WAIT);
        log.system(format!(
            "$ helm rollback {release} {to} --namespace {namespace} --wait --timeout {}s",
            wait.as_secs()
        ))
        .await;
        let rolled = helm.rollback(&target, &release, &namespace, to, wait);
        let ended = run.follow(rolled, &watched, l.timeout, &mut stop).await;
        let ended = ended.map(|r| r.map(|_| (None, String::new())));
        return Ok(run.finish(ended, &release, target_name, config, l.timeout).await);
    }

    log.system(format!(
        "Deploying Helm release {release} to cluster {}, namespace {namespace} (Helm {}), chart {}",
        cluster.name,
        helm.version(),
        chart_shown(l.body)
    ))
    .await;
    // Lint and template read the chart only, the pending check reads the release only: side by
    // side. Lint needs the chart on disk, so a repository's or OCI chart is checked by template.
    let local = l.body.chart_path.is_some();
    let lint = async {
        match local {
            true => Some(helm.lint(&spec.chart, &spec.values_files).await),
            false => None,
        }
    };
    let (linted, rendered, pending) =
        tokio::join!(lint, helm.template(&spec), helm.pending(&target, &release, &namespace));
    if let Some(linted) = linted {
        log.system(format!("$ helm lint {}", spec.chart)).await;
        match linted {
            Ok(out) => log_lines(log, &out).await,
            Err(e) => return Ok(refused(&release, format!("{e}; nothing was sent to the cluster"))),
        }
    }
    log.system(format!("$ helm template {release} {} --namespace {namespace}", spec.chart)).await;
    let rendered = match rendered {
        Ok(r) => r,
        Err(e) => {
            let said = e.to_string();
            let hint =
                super::oci::login_hint(&spec.chart, &spec.access, &said).map(|h| format!(": {h}")).unwrap_or_default();
            return Ok(refused(&release, format!("{said}{hint}; nothing was sent to the cluster")));
        }
    };
    match pending {
        Ok(None) => {}
        Ok(Some(p)) => return Ok(refused(&release, p.refusal(&release, &namespace).to_string())),
        Err(e) => return Ok(refused(&release, format!("{e}; nothing was changed"))),
    }
    let resources = workloads::resources_in(&rendered);
    log.system(format!(
        "The chart renders {} resource(s): {}",
        resources.len(),
        resources.iter().map(|(k, n)| format!("{k}/{n}")).collect::<Vec<_>>().join(", ")
    ))
    .await;
    let watched = workloads_in(&rendered);
    log.system(format!(
        "$ helm upgrade --install {release} {} --namespace {namespace} --create-namespace {} --timeout {}s",
        spec.chart,
        if helm.major() == 3 { "--wait --atomic" } else { "--wait=watcher --rollback-on-failure" },
        spec.timeout.as_secs()
    ))
    .await;
    // From here on the cluster changes: the app exists first, so a launch whose process is killed
    // midway leaves an app to look at and Recover, not a pending release nobody owns.
    l.engine.store().app_ensure("helm", &release, &target_name, l.template, crate::model::now_ms()).await?;
    let upgrade = helm.upgrade_install_noted(&target, &spec);
    let ended = run.follow(upgrade, &watched, l.timeout, &mut stop).await;
    let ended = ended.map(|r| r.map(|(release, notes)| (Some(release), notes)));
    Ok(run.finish(ended, &release, target_name, config, l.timeout).await)
}

/// The chart in words, for the log.
fn chart_shown(body: &HelmBody) -> String {
    match (&body.chart_path, &body.chart, &body.repo) {
        (Some(p), _, _) => format!("{p} of the source"),
        (None, Some(c), Some(r)) => format!("{c} {} of {r}", body.version.as_deref().unwrap_or("(newest)")),
        (None, Some(c), None) => format!("{c} {}", body.version.as_deref().unwrap_or("")).trim().to_string(),
        _ => "?".into(),
    }
}

/// The upgrade's spec from the body: the chart found, the values written, the `set` values put in.
fn prepare(
    l: &HelmLaunch<'_>,
    vars: &BTreeMap<String, String>,
    release: &str,
    namespace: &str,
) -> Result<UpgradeSpec, String> {
    let mut values_files = Vec::new();
    if let Some(values) = l.body.values.as_deref().filter(|v| !v.trim().is_empty()) {
        if let Some(problem) = crate::template::check_values(values) {
            return Err(problem);
        }
        let path = l.dir.join("values.yaml");
        write_private(&path, values)?;
        values_files.push(path);
    }
    let (mut set, mut set_files) = (Vec::new(), Vec::new());
    for (i, (k, v)) in l.body.set.iter().enumerate() {
        let value = expand(v, vars).map_err(|m| format!("`set.{k}`: {m}"))?;
        if value == *v {
            set.push((k.clone(), value));
        } else {
            let path = l.dir.join(format!("set-{i}"));
            write_private(&path, &value)?;
            set_files.push((k.clone(), path));
        }
    }
    let chart = match (&l.body.chart_path, &l.body.chart) {
        (Some(p), _) => {
            let dir = l.workspace.join(p.trim());
            if !dir.join("Chart.yaml").is_file() {
                return Err(format!(
                    "the chart directory {p} (with its Chart.yaml) is not in the run's workspace: is it in the template's source, at that path?"
                ));
            }
            dir.to_string_lossy().into_owned()
        }
        (None, Some(c)) => c.trim().to_string(),
        (None, None) => return Err("the helm step names no chart".into()),
    };
    Ok(UpgradeSpec {
        release: release.to_string(),
        chart,
        repo: l.body.repo.clone().filter(|r| !r.trim().is_empty()),
        version: l.body.version.clone().filter(|v| !v.trim().is_empty()),
        namespace: namespace.to_string(),
        values_files,
        set,
        set_files,
        timeout: l.body.wait_seconds.map(Duration::from_secs).unwrap_or(DEFAULT_WAIT),
        access: Default::default(),
    })
}

pub(super) fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
