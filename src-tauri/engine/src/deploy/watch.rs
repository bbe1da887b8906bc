//! The apps watch: in the background (setting `apps.watchSeconds`), each app's services are
//! compared with its current revision. A change of state is remembered, and a change for the
//! worse (unhealthy, drifted, down) is told as the deploying template's notify rules say (desktop
//! and e-mail, `when: [unhealthy, drifted, recovered]`; the desktop by default); a recovery too.

use std::sync::Weak;
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::api::AppDetail;
use crate::error::Result;
use crate::model::{NotifyWhen, RunStatus};
use crate::notify::DesktopNote;
use crate::{settings, Engine, EngineInner};

/// What the watch makes of an app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppState {
    /// Every service runs, none unhealthy, what runs is the current revision.
    Healthy,
    /// A service does not run or is unhealthy.
    Unhealthy,
    /// What runs is not the current revision (another image, a service gone or added).
    Drifted,
    /// Nothing runs.
    Down,
    /// The endpoint could not be asked.
    Unknown,
}

impl AppState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AppState::Healthy => "healthy",
            AppState::Unhealthy => "unhealthy",
            AppState::Drifted => "drifted",
            AppState::Down => "down",
            AppState::Unknown => "unknown",
        }
    }

    /// The state of an app as `app_get` shows it.
    pub fn of(d: &AppDetail) -> AppState {
        if d.services_error.is_some() {
            AppState::Unknown
        } else if d.services.is_empty() {
            AppState::Down
        } else if d.drifted {
            AppState::Drifted
        } else if d.healthy {
            AppState::Healthy
        } else {
            AppState::Unhealthy
        }
    }
}

/// One app whose state changed.
#[derive(Debug, Clone)]
pub struct AppChange {
    /// `NAME@ENDPOINT`.
    pub app: String,
    /// What the watch saw before (none the first time).
    pub before: Option<String>,
    /// What it sees now.
    pub now: AppState,
}

/// Looks at every app once; says (and notifies) what changed.
pub async fn check_apps(engine: &Engine) -> Result<Vec<AppChange>> {
    let mut changes = Vec::new();
    for app in crate::api::app_list(engine).await? {
        let handle = format!("{}@{}", app.name, app.target);
        let detail = crate::api::app_get(engine, &handle).await?;
        let now = AppState::of(&detail);
        let before = engine.store().app_swap_watch_state(app.id, now.as_str()).await?;
        if before.as_deref() == Some(now.as_str()) {
            continue;
        }
        // The first look only learns the state, unless it is already bad.
        if before.is_some() || now != AppState::Healthy {
            notify(engine, &detail, now).await;
        }
        changes.push(AppChange { app: handle, before, now });
    }
    Ok(changes)
}

async fn notify(engine: &Engine, d: &AppDetail, now: AppState) {
    let bad: Vec<String> = d
        .services
        .iter()
        .filter(|s| s.state != "running" || s.health == "unhealthy")
        .map(|s| {
            format!(
                "{} ({}{})",
                s.service,
                s.state,
                if s.health.is_empty() { String::new() } else { format!(", {}", s.health) }
            )
        })
        .collect();
    let (event, status, what, body) = match now {
        AppState::Healthy => (
            NotifyWhen::Recovered,
            RunStatus::Succeeded,
            "is healthy again",
            "every service runs the current revision".to_string(),
        ),
        AppState::Unhealthy => (NotifyWhen::Unhealthy, RunStatus::Failed, "is unhealthy", bad.join(", ")),
        AppState::Drifted => (
            NotifyWhen::Drifted,
            RunStatus::Interrupted,
            "drifted",
            "what runs is not the current revision: redeploy it, or roll back from the app's page".to_string(),
        ),
        AppState::Down => {
            (NotifyWhen::Unhealthy, RunStatus::Failed, "is down", "none of its services runs".to_string())
        }
        AppState::Unknown => (
            NotifyWhen::Unhealthy,
            RunStatus::Interrupted,
            "cannot be checked",
            d.services_error.clone().unwrap_or_default(),
        ),
    };
    let run_id = d.app.current.as_ref().and_then(|r| r.run_id).unwrap_or_default();
    let note = DesktopNote { run_id, status, summary: format!("App {} on {} {what}", d.app.name, d.app.target), body };
    crate::notify::app_changed(engine, d, event, note).await;
}

/// Starts the watch for a long-lived host (the desktop app, `scicd serve`); it stops when the
/// engine is dropped.
pub fn spawn_app_watch(engine: &Engine) -> JoinHandle<()> {
    let weak = std::sync::Arc::downgrade(&engine.inner);
    tokio::spawn(watch(weak))
}

async fn watch(inner: Weak<EngineInner>) {
    loop {
        let every = {
            let Some(inner) = inner.upgrade() else { return };
            let engine = Engine { inner };
            let every = settings::int(&engine, "apps.watchSeconds").await;
            if every > 0 {
                if let Err(e) = check_apps(&engine).await {
                    tracing::warn!(error = %e, "the apps watch could not look at the apps");
                }
            }
            Duration::from_secs(if every > 0 { every as u64 } else { 60 })
        };
        tokio::time::sleep(every).await;
    }
}
