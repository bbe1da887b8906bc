//! A helm step as one step of a run: the launch (`deploy::helm::launch`) in a private directory
//! removed however it ends, then the app's revision recorded (kind `helm`, the release in
//! `CLUSTER/NAMESPACE`) and the outputs published: `release`, `revision` (the app's) and
//! `helmRevision`.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::watch;

use super::execute::StepContext;
use super::step_executor::StepDone;
use crate::deploy::helm::launch::{launch, HelmLaunch};
use crate::error::Result;
use crate::exec::StopReason;
use crate::log::LogWriter;
use crate::model::HelmBody;
use crate::store::NewRevision;

/// Runs step `i` (named `name`) of the run in `ctx`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn execute(
    ctx: &StepContext<'_>,
    i: usize,
    name: &str,
    body: &HelmBody,
    env: &[(String, String)],
    timeout: Option<Duration>,
    log: &LogWriter,
    stop: watch::Receiver<StopReason>,
) -> Result<StepDone> {
    let dir = ctx.engine.data().script(ctx.run.id).with_file_name(format!("{}-{i}-helm", ctx.run.id));
    let l = HelmLaunch {
        engine: ctx.engine,
        body,
        name,
        template: &ctx.run.template,
        workspace: ctx.workspace,
        dir: dir.clone(),
        env,
        timeout,
    };
    let launched = launch(l, log, stop).await;
    // The values and --set-file files may hold secrets: gone with the step, however it ended.
    let _ = std::fs::remove_dir_all(&dir);
    let launched = launched?;
    let mut outputs = BTreeMap::new();
    if !launched.release.is_empty() {
        outputs.insert("release".to_string(), launched.release.clone());
    }
    if let Some(r) = launched.record {
        let run = ctx.engine.store().run_get(ctx.run.id).await?;
        let number = ctx
            .engine
            .store()
            .app_revision_insert(NewRevision {
                kind: "helm",
                name: &launched.release,
                target: &r.target,
                template: &run.template,
                run_id: run.id,
                step: i as u16,
                trigger: &run.trigger,
                commit: run.commit.as_ref(),
                config: &r.config,
                services: &r.services,
                deployed: r.deployed,
                error: r.error.as_deref(),
                helm_revision: r.helm_revision,
                now: crate::model::now_ms(),
            })
            .await?;
        let result = if r.deployed { "deployed" } else { "failed" };
        log.system(format!("Revision #{number} of app {} in {}: {result}", launched.release, r.target)).await;
        outputs.insert("revision".into(), number.to_string());
        if let Some(h) = r.helm_revision {
            outputs.insert("helmRevision".into(), h.to_string());
        }
    }
    Ok(StepDone { outcome: launched.outcome, outputs })
}
