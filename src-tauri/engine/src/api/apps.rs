//! App entry points: the list, an app with its revisions and live services, and its actions:
//! redeploy and roll back (runs of their own, recorded as new revisions), stop, start, restart,
//! down, and a service's logs (compose commands on the app's endpoint).

use std::collections::BTreeMap;

use super::audit::audited;
use crate::auth::Caller;
use crate::deploy::compose::cli::{self, ComposeCli};
use crate::deploy::compose::launch::pinned_config;
use crate::error::{Error, Result};
use crate::model::{App, AppRevision, ComposeBody, Run, Scope, ServiceState, TemplateBody};
use crate::Engine;

/// An app, its newest revisions and what runs now.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppDetail {
    /// The app.
    pub app: App,
    /// Its revisions, newest first (at most 50).
    pub revisions: Vec<AppRevision>,
    /// Its services as they run now (empty when the endpoint cannot be asked).
    pub services: Vec<ServiceState>,
    /// Why the services could not be read, if they could not.
    pub services_error: Option<String>,
    /// Whether what runs differs from the current revision (another image, a service missing).
    pub drifted: bool,
    /// Whether every service runs and none is unhealthy.
    pub healthy: bool,
    /// A Helm app's release: its status, workloads and, when it is stuck, the way out.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub helm: Option<crate::model::HelmAppStatus>,
}

/// What a stack action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum AppAction {
    /// Stop the containers (kept).
    Stop,
    /// Start them again.
    Start,
    /// Restart them.
    Restart,
    /// Remove the containers and networks; volumes are kept.
    Down,
    /// Remove the containers, networks and volumes.
    DownWithVolumes,
}

/// Every app with its current revision.
pub async fn app_list(engine: &Engine) -> Result<Vec<App>> {
    engine.store().app_all().await
}

/// The app called `name` (`NAME` or `NAME@ENDPOINT` when two endpoints run a project of that name).
pub async fn app_find(engine: &Engine, name: &str) -> Result<App> {
    let (name, target) = match name.split_once('@') {
        Some((n, t)) => (n, Some(t)),
        None => (name, None),
    };
    let found: Vec<App> =
        engine.store().app_named(name).await?.into_iter().filter(|a| target.is_none_or(|t| t == a.target)).collect();
    match found.len() {
        0 => Err(Error::NotFound { what: "app", name: name.to_string() }),
        1 => Ok(found.into_iter().next().expect("one")),
        _ => Err(Error::invalid(
            "app",
            "ambiguous",
            format!(
                "apps called {name} run on endpoints {}: say which, e.g. {name}@{}",
                found.iter().map(|a| a.target.as_str()).collect::<Vec<_>>().join(", "),
                found[0].target
            ),
        )),
    }
}

/// The app, its revisions, and its services as they run now.
pub async fn app_get(engine: &Engine, name: &str) -> Result<AppDetail> {
    let app = app_find(engine, name).await?;
    let revisions = engine.store().app_revisions(app.id, 50).await?;
    if app.kind == "helm" {
        let h = super::apps_helm::live(engine, &app, &revisions).await;
        let (services, services_error, drifted, healthy, helm) = (h.services, h.error, h.drifted, h.healthy, h.status);
        return Ok(AppDetail { app, revisions, services, services_error, drifted, healthy, helm });
    }
    let (services, services_error) = match live_services(engine, &app).await {
        Ok(s) => (s, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let current = revisions.iter().find(|r| r.status == "deployed");
    let drifted = match current {
        Some(rev) if services_error.is_none() => drift(&rev.services, &services),
        _ => false,
    };
    let healthy = !services.is_empty()
        && services.iter().all(|s| s.state == "running" && s.health != "unhealthy" && s.health != "starting");
    Ok(AppDetail { app, revisions, services, services_error, drifted, healthy, helm: None })
}

/// Whether what runs differs from what the revision deployed: a service gone or added, or
/// running another image.
pub fn drift(deployed: &[ServiceState], running: &[ServiceState]) -> bool {
    let want: BTreeMap<&str, &str> = deployed.iter().map(|s| (s.service.as_str(), s.pinned.as_str())).collect();
    let have: BTreeMap<&str, &str> = running.iter().map(|s| (s.service.as_str(), s.pinned.as_str())).collect();
    want.len() != have.len() || want.iter().any(|(k, v)| have.get(k).is_none_or(|h| h != v && !v.is_empty()))
}

/// Launches revision `to` again, its images pinned by digest, as a run of the app's template
/// (trigger `rollback to #N`); the run records a new revision.
pub async fn app_rollback(engine: &Engine, caller: &Caller, name: &str, to: u32) -> Result<Run> {
    let work = async {
        let app = app_find(engine, name).await?;
        caller.may_run(&app.template)?;
        let by = caller.person();
        let revision = revision(engine, &app, to).await?;
        if app.kind == "helm" {
            return super::apps_helm::rollback(engine, &app, &revision, &by).await;
        }
        let pinned =
            pinned_config(&revision.config, &revision.services).map_err(|m| Error::invalid("to", "invalid", m))?;
        relaunch(engine, &app, pinned, &format!("rollback to #{to} by {by}"), revision.run_id).await
    };
    let detail = format!("to #{to}");
    audited(engine, caller, Scope::Deploy, "app.rollback", &format!("app {name}"), Some(&detail), work).await
}

/// Launches the current revision's configuration again (images pulled anew), as a run.
pub async fn app_redeploy(engine: &Engine, caller: &Caller, name: &str) -> Result<Run> {
    let work = async {
        let app = app_find(engine, name).await?;
        caller.may_run(&app.template)?;
        let by = caller.person();
        let current =
            app.current.clone().ok_or_else(|| Error::NotFound { what: "revision of app", name: app.name.clone() })?;
        if app.kind == "helm" {
            return super::apps_helm::redeploy(engine, &app, &current, &by).await;
        }
        relaunch(engine, &app, current.config, &format!("redeploy by {by}"), current.run_id).await
    };
    audited(engine, caller, Scope::Deploy, "app.redeploy", &format!("app {name}"), None, work).await
}

pub(super) async fn revision(engine: &Engine, app: &App, number: u32) -> Result<AppRevision> {
    engine.store().app_revisions(app.id, u32::MAX).await?.into_iter().find(|r| r.number == number).ok_or_else(|| {
        Error::invalid(
            "to",
            "unknown",
            format!("app {} has no revision #{number}; `scicd app show {}` lists them", app.name, app.name),
        )
    })
}

/// The template that launched `app`, which a redeploy or rollback runs again.
pub(super) async fn template_of(engine: &Engine, app: &App) -> Result<crate::model::Template> {
    super::template_get(engine, &app.template).await.map_err(|_| {
        Error::invalid(
            "app",
            "invalid",
            format!(
                "the template {} that launched app {} no longer exists; save it again to launch the app",
                app.template, app.name
            ),
        )
    })
}

/// The parameters of the run that launched a revision, for launching it again: secret
/// references are left out (a relaunch reads secrets from the keyring again, never the record).
/// None when that run is gone (retention): the template's defaults apply.
pub(super) async fn launch_params(engine: &Engine, run_id: Option<i64>) -> BTreeMap<String, String> {
    let Some(id) = run_id else { return BTreeMap::new() };
    match engine.store().run_get(id).await {
        Ok(run) => run.params.into_iter().filter(|(_, v)| !v.starts_with(crate::template::SECRET_PREFIX)).collect(),
        Err(_) => BTreeMap::new(),
    }
}

async fn relaunch(engine: &Engine, app: &App, config: String, trigger: &str, run_id: Option<i64>) -> Result<Run> {
    if config.trim().is_empty() {
        return Err(Error::invalid("to", "invalid", "that revision kept no configuration (compose refused it)"));
    }
    let tpl = template_of(engine, app).await?;
    let body = TemplateBody::Compose(ComposeBody {
        compose: Some(config),
        files: Vec::new(),
        project: Some(app.name.clone()),
        endpoint: Some(app.target.clone()),
        wait_seconds: match &tpl.spec.body {
            TemplateBody::Compose(b) => b.wait_seconds,
            _ => None,
        },
    });
    let params = launch_params(engine, run_id).await;
    let options = super::StartOptions { body: Some(body), ..Default::default() };
    super::runs::queue(engine, &app.template, &params, &options, trigger).await
}

/// Stops, starts, restarts or takes down the app's stack; returns what compose said.
pub async fn app_action(engine: &Engine, caller: &Caller, name: &str, action: AppAction) -> Result<String> {
    let work = async {
        caller.may_run(&app_find(engine, name).await?.template)?;
        act(engine, name, action).await
    };
    let what = serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_string));
    audited(engine, caller, Scope::Deploy, "app.action", &format!("app {name}"), what.as_deref(), work).await
}

async fn act(engine: &Engine, name: &str, action: AppAction) -> Result<String> {
    let app = app_find(engine, name).await?;
    if app.kind == "helm" {
        return super::apps_helm::action(engine, &app, action).await;
    }
    let args: &[&str] = match action {
        AppAction::Stop => &["stop"],
        AppAction::Start => &["start"],
        AppAction::Restart => &["restart"],
        AppAction::Down => &["down", "--remove-orphans"],
        AppAction::DownWithVolumes => &["down", "--remove-orphans", "--volumes"],
    };
    let out = compose_for(engine, &app, args).await?;
    if out.0 {
        Ok(out.1)
    } else {
        Err(Error::invalid("action", "failed", format!("docker compose {} failed: {}", args[0], out.1.trim())))
    }
}

/// The last `tail` lines of a service's log.
pub async fn app_logs(engine: &Engine, name: &str, service: &str, tail: u32) -> Result<String> {
    let app = app_find(engine, name).await?;
    if app.kind == "helm" {
        return super::apps_helm::logs(engine, &app, service, tail).await;
    }
    let tail = tail.to_string();
    let (ok, text) = compose_for(engine, &app, &["logs", "--no-color", "--tail", &tail, service]).await?;
    if ok {
        Ok(text)
    } else {
        Err(Error::invalid("service", "unknown", format!("no logs for {service}: {}", text.trim())))
    }
}

/// The app's services as they run now (what `docker compose ps` shows, read from the Docker API),
/// images pinned.
async fn live_services(engine: &Engine, app: &App) -> Result<Vec<ServiceState>> {
    crate::deploy::compose::ps::running_services(engine, &app.target, &app.name).await
}

/// Runs `docker compose -p PROJECT ARGS` on the app's endpoint; (success, stdout and stderr).
async fn compose_for(engine: &Engine, app: &App, args: &[&str]) -> Result<(bool, String)> {
    let compose: ComposeCli = cli::find().await.map_err(|m| Error::invalid("compose", "missing", m))?;
    // A directory of its own for the endpoint's TLS files, removed however the command ends.
    let dir = engine.data().script(0).with_file_name(format!("app-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let out = async {
        let mut env = cli::endpoint_env(engine, &app.target, &dir).await?;
        env.push(("COMPOSE_PROJECT_NAME".into(), app.name.clone()));
        let mut cmd = compose.command(args, &env);
        cmd.current_dir(&dir).kill_on_drop(true);
        tokio::time::timeout(std::time::Duration::from_secs(300), cmd.output())
            .await
            .map_err(|_| {
                Error::io(format!("{} did not end in 300 s", compose.shown(args)), std::io::ErrorKind::TimedOut.into())
            })?
            .map_err(|e| Error::io(format!("cannot run {}", compose.shown(args)), e))
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    let out = out?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || text.trim().is_empty() {
        text.push_str(&String::from_utf8_lossy(&out.stderr));
    }
    Ok((out.status.success(), text))
}
