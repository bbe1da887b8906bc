//! Retrying a pipeline run from one of its steps: a new run (its own number, linked to the old
//! one) that runs the same plan on the same commit and parameters, takes over the old run's
//! workspace and the results and outputs of the steps that do not depend on the chosen step, and
//! runs that step and everything after it again. "Re-run" (a new run of the template) is
//! `run_start`.

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::{now_ms, Run, RunStatus, Scope, StepStatus};
use crate::store::NewRun;
use crate::Engine;

/// Queues the retry of run `id` from step `from` (default: the step that made it fail), as
/// `caller`: its trigger says `retry of #12 from deploy by ana`.
pub async fn run_retry(engine: &Engine, caller: &Caller, id: i64, from: Option<&str>) -> Result<Run> {
    let work = async {
        caller.may_run(&engine.store().run_get(id).await?.template)?;
        retry(engine, id, from, &caller.person()).await
    };
    super::audit::audited(engine, caller, Scope::Run, "run.retry", &format!("run {id}"), from, work).await
}

async fn retry(engine: &Engine, id: i64, from: Option<&str>, by: &str) -> Result<Run> {
    let store = engine.store();
    let old = store.run_get(id).await?;
    let refuse = |message: String| Error::invalid("run", "not_retryable", message);
    if !old.status.is_final() {
        return Err(refuse(format!("run {id} has not ended ({}): cancel it first, or wait", old.status)));
    }
    if old.status == RunStatus::Succeeded {
        return Err(refuse(format!("run {id} succeeded: start it again with Re-run (scicd run {})", old.template)));
    }
    let (spec, _) = store.run_spec(id).await?;
    let steps = super::run_steps(engine, id).await?;
    if steps.is_empty() {
        return Err(refuse(format!(
            "run {id} is not a pipeline run, so it has no step to retry from: start it again with Re-run (scicd run {})",
            old.template
        )));
    }
    let from = match from {
        Some(name) => steps.iter().find(|s| s.name == name).ok_or_else(|| {
            let all: Vec<&str> = steps.iter().map(|s| s.name.as_str()).collect();
            Error::invalid("from", "unknown", format!("run {id} has no step {name}; its steps: {}", all.join(", ")))
        })?,
        // The step that made the run fail (not one whose failure was allowed), else the first that
        // did not succeed.
        None => steps
            .iter()
            .find(|s| {
                let allowed = spec.steps().get(s.index as usize).is_some_and(|p| p.continue_on_error);
                s.status != StepStatus::Succeeded && s.status != StepStatus::Skipped && !allowed
            })
            .or_else(|| steps.iter().find(|s| s.status != StepStatus::Succeeded))
            .unwrap_or(&steps[0]),
    };
    let template_id = old.template_id.ok_or_else(|| {
        refuse(format!("the template of run {id} ({}) has been deleted; a retry needs it", old.template))
    })?;
    let trigger = format!("retry of #{} from {} by {by}", old.number, from.name);
    let run_key = uuid::Uuid::new_v4().simple().to_string();
    let run = store
        .run_insert(NewRun {
            template_id,
            spec: &spec,
            params: &old.params,
            trigger: &trigger,
            owner: engine.instance_id(),
            run_key: &run_key,
            now: now_ms(),
            git_ref: old.git_ref.as_deref(),
            git_sha: old.commit.as_ref().map(|c| c.sha.as_str()),
            retry: Some((old.id, from.index)),
        })
        .await?;
    if let Some(commit) = &old.commit {
        store.run_set_commit(run.id, commit).await?;
    }
    engine.emit_run(run.id).await;
    engine.wake_scheduler();
    store.run_get(run.id).await
}
