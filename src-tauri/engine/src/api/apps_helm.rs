//! Helm apps (a release in `CLUSTER/NAMESPACE`): what `app_get`, the actions and the watch see of
//! them. The release's status and history come from Helm, the workloads' readiness from the
//! cluster; a rollback is `helm rollback` to the revision's Helm revision, run as a run of its own
//! (trigger `rollback to #N`) that records a new revision; a release left `pending-*` is recovered
//! by the way out Helm's history gives (roll back to the last deployed revision, or uninstall a
//! first install that never completed).

use std::time::Duration;

use super::apps::AppAction;
use super::audit::audited;
use crate::auth::Caller;
use crate::deploy::helm::workloads::{as_service, is_ready, readiness, workloads_in};
use crate::deploy::helm::{Helm, Recovery};
use crate::error::{Error, Result};
use crate::kube::Target;
use crate::model::{App, AppRevision, HelmAppStatus, HelmBody, Run, Scope, ServiceState, TemplateBody};
use crate::{settings, Engine};

/// How long an uninstall or a recovery waits.
const ACTION_WAIT: Duration = Duration::from_secs(300);

/// What a Helm app looks like now.
pub(crate) struct HelmLive {
    pub services: Vec<ServiceState>,
    pub error: Option<String>,
    pub drifted: bool,
    pub healthy: bool,
    pub status: Option<HelmAppStatus>,
}

/// The app's cluster, namespace and release.
struct Place {
    target: Target,
    namespace: String,
    release: String,
    helm: Helm,
}

async fn place(engine: &Engine, app: &App) -> Result<Place> {
    let (cluster, namespace) = app.target.split_once('/').ok_or_else(|| {
        Error::Corrupt(format!("helm app {} has target {}, not CLUSTER/NAMESPACE", app.name, app.target))
    })?;
    let cluster = crate::kube::find(engine, cluster).await?;
    let target = crate::kube::target(engine, &cluster).await?;
    let helm = Helm::find(&settings::text(engine, "kube.helm").await).await?;
    Ok(Place { target, namespace: namespace.to_string(), release: app.name.clone(), helm })
}

/// The release's status, its workloads, and how they compare with the newest revision.
pub(crate) async fn live(engine: &Engine, app: &App, revisions: &[AppRevision]) -> HelmLive {
    match status(engine, app).await {
        Err(e) => {
            HelmLive { services: Vec::new(), error: Some(e.to_string()), drifted: false, healthy: false, status: None }
        }
        Ok(s) => {
            let services: Vec<ServiceState> = s.workloads.iter().map(as_service).collect();
            let expected = revisions.first().and_then(|r| r.helm_revision);
            let drifted = s.helm_revision.is_some() && (s.status != "deployed" || s.helm_revision != expected);
            let healthy = s.status == "deployed" && !s.workloads.is_empty() && s.workloads.iter().all(is_ready);
            HelmLive { services, error: None, drifted, healthy, status: Some(s) }
        }
    }
}

async fn status(engine: &Engine, app: &App) -> Result<HelmAppStatus> {
    let p = place(engine, app).await?;
    let Some(release) = p.helm.status(&p.target, &p.release, &p.namespace).await? else {
        return Ok(HelmAppStatus {
            helm_revision: None,
            status: "missing".into(),
            description: format!("there is no release {} in namespace {}", p.release, p.namespace),
            workloads: Vec::new(),
            pending: None,
            recover_to: None,
        });
    };
    let pending = p.helm.pending(&p.target, &p.release, &p.namespace).await?;
    let kubectl = crate::kube::kubectl(engine).await?;
    let workloads = readiness(&kubectl, &p.target, &p.namespace, &workloads_in(&release.manifest))
        .await
        .map_err(|m| Error::invalid("app", "unreachable", m))?;
    Ok(HelmAppStatus {
        helm_revision: Some(release.revision),
        status: release.status,
        description: release.description,
        workloads,
        recover_to: pending.as_ref().and_then(|p| match p.recovery {
            Recovery::RollbackTo(r) => Some(r),
            Recovery::Uninstall => None,
        }),
        pending: pending.map(|x| x.way_out(&p.release, &p.namespace)),
    })
}

/// Rolls the release back to revision `revision`'s Helm revision, as a run (`rollback to #N`);
/// when Helm no longer keeps that revision, the revision's configuration is upgraded to instead.
pub(crate) async fn rollback(engine: &Engine, app: &App, revision: &AppRevision, by: &str) -> Result<Run> {
    let n = revision.number;
    let helm_revision = match (revision.status.as_str(), revision.helm_revision) {
        ("deployed", Some(h)) => h,
        _ => {
            return Err(Error::invalid(
                "to",
                "invalid",
                format!("revision #{n} of app {} was not deployed; roll back to a revision that was", app.name),
            ))
        }
    };
    let mut body = body_of(revision)?;
    // Helm keeps the last 10 revisions of a release: an older one is deployed again from the
    // configuration the app's revision recorded.
    let p = place(engine, app).await?;
    let history = p.helm.history(&p.target, &p.release, &p.namespace).await?;
    if history.iter().any(|r| r.revision == helm_revision) {
        body.rollback_to = Some(helm_revision);
    }
    relaunch(engine, app, body, &format!("rollback to #{n} by {by}"), revision.run_id).await
}

/// Upgrades the release again with the configuration of `revision`, as a run.
pub(crate) async fn redeploy(engine: &Engine, app: &App, revision: &AppRevision, by: &str) -> Result<Run> {
    relaunch(engine, app, body_of(revision)?, &format!("redeploy by {by}"), revision.run_id).await
}

fn body_of(revision: &AppRevision) -> Result<HelmBody> {
    serde_yaml::from_str(&revision.config).map_err(|e| {
        Error::invalid(
            "to",
            "invalid",
            format!("revision #{} kept a configuration that cannot be read: {e}", revision.number),
        )
    })
}

/// Starts a run of the app's template with `body`, the parameters of the run that launched the
/// revision (secrets are read from the keyring again, never from the record).
async fn relaunch(engine: &Engine, app: &App, body: HelmBody, trigger: &str, run_id: Option<i64>) -> Result<Run> {
    super::apps::template_of(engine, app).await?;
    let params = super::apps::launch_params(engine, run_id).await;
    let options = super::StartOptions { body: Some(TemplateBody::Helm(body)), ..Default::default() };
    super::runs::queue(engine, &app.template, &params, &options, trigger).await
}

/// A stack action on a Helm app: down is `helm uninstall`, restart is `kubectl rollout restart`
/// of its workloads; a release has no stop or start.
pub(crate) async fn action(engine: &Engine, app: &App, action: AppAction) -> Result<String> {
    let p = place(engine, app).await?;
    match action {
        AppAction::Down | AppAction::DownWithVolumes => {
            p.helm.uninstall(&p.target, &p.release, &p.namespace, ACTION_WAIT).await?;
            Ok(format!("release {} uninstalled from namespace {}", p.release, p.namespace))
        }
        AppAction::Restart => {
            let release = p.helm.status(&p.target, &p.release, &p.namespace).await?.ok_or_else(|| gone(&p))?;
            let names: Vec<String> = workloads_in(&release.manifest)
                .iter()
                .map(|(k, n)| format!("{}/{n}", k.to_ascii_lowercase()))
                .collect();
            if names.is_empty() {
                return Err(Error::invalid(
                    "action",
                    "invalid",
                    "the release has no Deployment, StatefulSet or DaemonSet to restart",
                ));
            }
            let mut args = vec!["rollout", "restart", "-n", p.namespace.as_str()];
            args.extend(names.iter().map(String::as_str));
            kubectl(engine, &p, &args).await
        }
        AppAction::Stop | AppAction::Start => Err(Error::invalid(
            "action",
            "invalid",
            "a Helm release has no stop or start: set its replicas in the values and redeploy, or uninstall it (Down)",
        )),
    }
}

fn gone(p: &Place) -> Error {
    Error::invalid("app", "invalid", format!("there is no release {} in namespace {}", p.release, p.namespace))
}

async fn kubectl(engine: &Engine, p: &Place, args: &[&str]) -> Result<String> {
    let out = crate::kube::kubectl(engine).await?.run(&p.target, args).await?;
    if out.success {
        Ok(out.stdout)
    } else {
        Err(Error::invalid("action", "failed", format!("kubectl {} failed: {}", args[0], out.stderr.trim())))
    }
}

/// The last `tail` lines of a workload's pods (`Deployment/web`, or `web` for a Deployment).
pub(crate) async fn logs(engine: &Engine, app: &App, service: &str, tail: u32) -> Result<String> {
    let p = place(engine, app).await?;
    let what = match service.split_once('/') {
        Some((kind, name)) => format!("{}/{name}", kind.to_ascii_lowercase()),
        None => format!("deployment/{service}"),
    };
    let tail = tail.to_string();
    kubectl(engine, &p, &["logs", "-n", &p.namespace, &what, "--all-containers", "--tail", &tail]).await
}

/// Gets a release out of `pending-*`: a rollback to the last deployed Helm revision (a run,
/// recorded as a revision) or, for a first install that never completed, an uninstall (`None`).
pub async fn app_recover(engine: &Engine, caller: &Caller, name: &str) -> Result<Option<Run>> {
    let work = async {
        caller.may_run(&super::app_find(engine, name).await?.template)?;
        recover(engine, name, &caller.person()).await
    };
    audited(engine, caller, Scope::Deploy, "app.recover", &format!("app {name}"), None, work).await
}

async fn recover(engine: &Engine, name: &str, by: &str) -> Result<Option<Run>> {
    let app = super::app_find(engine, name).await?;
    if app.kind != "helm" {
        return Err(Error::invalid(
            "app",
            "invalid",
            format!("app {} is not a Helm release: nothing to recover", app.name),
        ));
    }
    let p = place(engine, &app).await?;
    let pending = p.helm.pending(&p.target, &p.release, &p.namespace).await?.ok_or_else(|| {
        Error::invalid(
            "app",
            "invalid",
            format!("release {} is not stuck in pending-*: there is nothing to recover", p.release),
        )
    })?;
    match pending.recovery {
        Recovery::Uninstall => {
            p.helm.uninstall(&p.target, &p.release, &p.namespace, ACTION_WAIT).await?;
            Ok(None)
        }
        Recovery::RollbackTo(to) => {
            let revisions = engine.store().app_revisions(app.id, u32::MAX).await?;
            let same = revisions.iter().find(|r| r.status == "deployed" && r.helm_revision == Some(to));
            if let Some(r) = same {
                return rollback(engine, &app, r, by).await.map(Some);
            }
            let newest = revisions
                .iter()
                .find(|r| r.status == "deployed")
                .or(revisions.first())
                .ok_or_else(|| Error::NotFound { what: "revision of app", name: app.name.clone() })?;
            let mut body = body_of(newest)?;
            body.rollback_to = Some(to);
            let trigger = format!("recover from {}: rollback to Helm revision {to} by {by}", pending.status);
            relaunch(engine, &app, body, &trigger, newest.run_id).await.map(Some)
        }
    }
}
