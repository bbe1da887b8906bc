//! `scicd app list | show | redeploy | rollback --to N | stop | start | restart | recover | down |
//! logs`, for compose stacks and Helm releases alike (`diff` is in app_diff.rs).

use simple_cicd_engine::api::{self, AppAction};
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{App, ServiceState};
use simple_cicd_engine::Engine;

use crate::args::AppCmd;
use crate::failure::CmdResult;
use crate::output;

/// Runs an app subcommand.
pub async fn dispatch(engine: &Engine, cmd: AppCmd) -> CmdResult {
    match cmd {
        AppCmd::List { json } => {
            let apps = api::app_list(engine).await?;
            if json {
                output::json(&apps);
            } else if apps.is_empty() {
                eprintln!("No app yet: run a compose or helm template and what it deploys shows here");
            } else {
                output::table(
                    &["APP", "WHERE", "REVISION", "LAUNCHED", "BY"],
                    &apps.iter().map(row).collect::<Vec<_>>(),
                );
            }
        }
        AppCmd::Show { name, json } => {
            let d = api::app_get(engine, &name).await?;
            if json {
                output::json(&d);
                return Ok(0);
            }
            match d.app.kind.as_str() {
                "helm" => println!("App:       {} (Helm release in cluster/namespace {})", d.app.name, d.app.target),
                _ => println!("App:       {} (compose project on endpoint {})", d.app.name, d.app.target),
            }
            println!("Template:  {}", d.app.template);
            let state = match (&d.services_error, d.healthy, d.drifted) {
                (Some(e), _, _) => format!("unknown: {e}"),
                (None, _, true) => "drifted: what runs is not the current revision".into(),
                (None, true, false) => "healthy, in sync".into(),
                (None, false, false) if d.services.is_empty() => "not running".into(),
                (None, false, false) => "unhealthy".into(),
            };
            println!("State:     {state}");
            if let Some(h) = &d.helm {
                let rev = h.helm_revision.map(|r| format!("Helm revision {r}, ")).unwrap_or_default();
                println!("Release:   {rev}{} ({})", h.status, h.description);
                if let Some(way_out) = &h.pending {
                    println!("Stuck:     {way_out}; `scicd app recover {}` does it", d.app.name);
                }
            }
            if !d.services.is_empty() {
                println!("Services:");
                output::table(
                    &["SERVICE", "STATE", "HEALTH", "IMAGE"],
                    &d.services.iter().map(service_row).collect::<Vec<_>>(),
                );
            }
            println!("Revisions:");
            let rows: Vec<Vec<String>> = d
                .revisions
                .iter()
                .map(|r| {
                    vec![
                        format!("#{}", r.number),
                        match r.helm_revision {
                            Some(h) => format!("{} (helm {h})", r.status),
                            None => r.status.clone(),
                        },
                        r.trigger.clone(),
                        r.run_id.map(|id| format!("run {id}")).unwrap_or_else(|| "-".into()),
                        r.commit.as_ref().map(|c| c.short_sha.clone()).unwrap_or_else(|| "-".into()),
                        output::local_time(Some(&r.created_at)),
                    ]
                })
                .collect();
            output::table(&["REV", "RESULT", "TRIGGER", "RUN", "COMMIT", "WHEN"], &rows);
        }
        AppCmd::Redeploy { name } => {
            return follow(engine, api::app_redeploy(engine, &Caller::cli(), &name).await?).await
        }
        AppCmd::Rollback { name, to } => {
            return follow(engine, api::app_rollback(engine, &Caller::cli(), &name, to).await?).await
        }
        AppCmd::Stop { name } => act(engine, &name, AppAction::Stop, "Stopped").await?,
        AppCmd::Start { name } => act(engine, &name, AppAction::Start, "Started").await?,
        AppCmd::Restart { name } => act(engine, &name, AppAction::Restart, "Restarted").await?,
        AppCmd::Recover { name } => match api::app_recover(engine, &Caller::cli(), &name).await? {
            Some(run) => return follow(engine, run).await,
            None => println!("Uninstalled the first install that never completed: {name}"),
        },
        AppCmd::Down { name, volumes } => {
            let action = if volumes { AppAction::DownWithVolumes } else { AppAction::Down };
            let what = if volumes { "Removed (with its volumes)" } else { "Removed (volumes kept)" };
            act(engine, &name, action, what).await?
        }
        AppCmd::Logs { name, service, tail } => print!("{}", api::app_logs(engine, &name, &service, tail).await?),
        AppCmd::Diff { name, from, to, json } => super::app_diff::print(engine, &name, from, to, json).await?,
    }
    Ok(0)
}

fn row(a: &App) -> Vec<String> {
    let (rev, when, by) = match &a.current {
        Some(r) => (format!("#{} {}", r.number, r.status), output::local_time(Some(&r.created_at)), r.trigger.clone()),
        None => ("-".into(), "-".into(), "-".into()),
    };
    vec![a.name.clone(), a.target.clone(), rev, when, format!("{} ({by})", a.template)]
}

fn service_row(s: &ServiceState) -> Vec<String> {
    let health = if s.health.is_empty() { "-".to_string() } else { s.health.clone() };
    vec![
        s.service.clone(),
        s.state.clone(),
        health,
        if s.pinned.is_empty() { s.image.clone() } else { s.pinned.clone() },
    ]
}

async fn act(engine: &Engine, name: &str, action: AppAction, done: &str) -> CmdResult<()> {
    let said = api::app_action(engine, &Caller::cli(), name, action).await?;
    if !said.trim().is_empty() {
        eprint!("{said}");
    }
    println!("{done}: {name}");
    Ok(())
}

/// Streams the redeploy or rollback run like `scicd run` and exits with its status.
async fn follow(engine: &Engine, run: simple_cicd_engine::model::Run) -> CmdResult {
    eprintln!("Run {} #{} created (id {}): {}", run.template, run.number, run.id, run.trigger);
    let end = super::run::stream_until_end(engine, run.id, 1, true).await?;
    super::run::report_notifications(engine, end.id).await;
    Ok(super::run::exit_status(&end))
}
