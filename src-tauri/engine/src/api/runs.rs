//! Run entry points.

use std::collections::BTreeMap;

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::model::{
    now_ms, ConcurrencyPolicy, LogLine, Run, RunFilter, RunPage, RunStatus, RunStep, Scope, StepStatus, Template,
};
use crate::store::NewRun;
use crate::template::resolve_params;
use crate::Engine;

/// How a run is started, beyond its parameters and its caller (who sets its trigger).
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// A branch, tag or commit other than the template's source ref.
    pub git_ref: Option<String>,
    /// The exact commit to check out (a webhook's pushed commit); `git_ref` names it.
    pub git_sha: Option<String>,
    /// What to run instead of the template's own body (an app's rollback: a revision's
    /// configuration, its images pinned).
    pub body: Option<crate::model::TemplateBody>,
    /// The run this one starts again ("Re-run"): its trigger says `rerun of #12 by ana`.
    pub rerun_of: Option<i64>,
}

/// Validates the parameters and queues a run owned by this process; the queue starts it when a
/// slot is free. Returns at once with the run (status `queued`). Its trigger names `caller`
/// (`manual by ana`, `api token deploy-bot`); under the template's `cancel-previous` policy, its
/// other unfinished runs are cancelled.
pub async fn run_start(
    engine: &Engine,
    caller: &Caller,
    template: &str,
    params: &BTreeMap<String, String>,
) -> Result<Run> {
    run_start_with(engine, caller, template, params, &StartOptions::default()).await
}

/// [`run_start`] with a git ref or commit.
pub async fn run_start_with(
    engine: &Engine,
    caller: &Caller,
    template: &str,
    params: &BTreeMap<String, String>,
    options: &StartOptions,
) -> Result<Run> {
    let result = async {
        caller.require(Scope::Run)?;
        caller.may_run(template)?;
        let trigger = match options.rerun_of {
            Some(id) => format!("rerun of #{} by {}", engine.store().run_get(id).await?.number, caller.person()),
            None => caller.trigger(),
        };
        queue(engine, template, params, options, &trigger).await
    }
    .await;
    let resource = match &result {
        Ok(run) => format!("run {} of template {template}", run.id),
        Err(_) => format!("template {template}"),
    };
    super::audit_record(engine, caller, "run.start", &resource, &result, None).await;
    result
}

/// Queues a run of `template` with `trigger` as it is: the engine's own starts (a webhook
/// delivery, the scheduler, an app's rollback) whose door has already named its caller.
pub(crate) async fn queue(
    engine: &Engine,
    template: &str,
    params: &BTreeMap<String, String>,
    options: &StartOptions,
    trigger: &str,
) -> Result<Run> {
    let tpl = super::template_get(engine, template).await?;
    let prepared = run_prepare(engine, &tpl, params, options, trigger).await?;
    let run = engine.store().run_insert(prepared.new_run(engine.instance_id(), now_ms())).await?;
    run_queued(engine, run.id, &run.template, prepared.spec.concurrency).await?;
    Ok(run)
}

/// A run checked and compiled, ready to be inserted (by [`run_start_with`], or by a webhook's
/// group commit together with its delivery).
#[derive(Debug, Clone)]
pub(crate) struct PreparedRun {
    /// The template's id.
    pub template_id: i64,
    /// The spec that will run.
    pub spec: crate::model::TemplateSpec,
    /// Resolved parameters.
    pub params: BTreeMap<String, String>,
    /// What started it.
    pub trigger: String,
    /// Cookie placed in the script's environment.
    pub run_key: String,
    /// The ref asked for.
    pub git_ref: Option<String>,
    /// The commit pinned.
    pub git_sha: Option<String>,
}

impl PreparedRun {
    fn new_run<'a>(&'a self, owner: &'a str, now: i64) -> NewRun<'a> {
        NewRun {
            template_id: self.template_id,
            spec: &self.spec,
            params: &self.params,
            trigger: &self.trigger,
            owner,
            run_key: &self.run_key,
            now,
            git_ref: self.git_ref.as_deref(),
            git_sha: self.git_sha.as_deref(),
            retry: None,
        }
    }
}

/// Validates the parameters and the ref, and compiles a pipeline's plan: what can be refused is
/// refused here, before anything is written.
pub(crate) async fn run_prepare(
    engine: &Engine,
    tpl: &Template,
    params: &BTreeMap<String, String>,
    options: &StartOptions,
    trigger: &str,
) -> Result<PreparedRun> {
    let resolved = resolve_params(&tpl.spec.params, params)?;
    let git_ref = options.git_ref.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if let Some(r) = git_ref {
        if tpl.spec.source.is_none() {
            return Err(Error::invalid(
                "ref",
                "invalid",
                format!(
                    "template {} has no source repository, so it has no ref to choose; give it a source first",
                    tpl.spec.name
                ),
            ));
        }
        crate::trigger::check_ref_name(r).map_err(|m| Error::invalid("ref", "invalid", m))?;
    }
    // A pipeline runs its plan: every `uses` resolved now, so a bad reference fails here, not halfway.
    let spec = match (&options.body, tpl.spec.kind()) {
        (Some(body), _) => crate::model::TemplateSpec { body: body.clone(), ..tpl.spec.clone() },
        (None, crate::model::TemplateKind::Pipeline) => crate::plan::plan(engine, &tpl.spec).await?,
        (None, _) => tpl.spec.clone(),
    };
    Ok(PreparedRun {
        template_id: tpl.id,
        spec,
        params: resolved,
        trigger: trigger.to_string(),
        run_key: uuid::Uuid::new_v4().simple().to_string(),
        git_ref: git_ref.map(str::to_string),
        git_sha: options.git_sha.clone(),
    })
}

/// What follows a run's insert: under the template's `cancel-previous` policy its other
/// unfinished runs are cancelled; the run is announced and the queue woken.
pub(crate) async fn run_queued(engine: &Engine, id: i64, template: &str, policy: ConcurrencyPolicy) -> Result<()> {
    if policy == ConcurrencyPolicy::CancelPrevious {
        for older in engine.store().run_unfinished_of_template(template, id).await? {
            match cancel(engine, older).await {
                Ok(_) | Err(Error::AlreadyEnded { .. }) => {}
                Err(e) => return Err(e),
            }
        }
    }
    engine.emit_run(id).await;
    engine.wake_scheduler();
    Ok(())
}

/// Waits until a run has ended and returns it.
pub async fn run_wait(engine: &Engine, id: i64) -> Result<Run> {
    loop {
        let mut changes = engine.changes();
        let run = engine.store().run_get(id).await?;
        if run.status.is_final() && !engine.active_runs().contains(&id) {
            return Ok(run);
        }
        let _ = tokio::time::timeout(std::time::Duration::from_millis(250), changes.changed()).await;
    }
}

/// One run.
pub async fn run_get(engine: &Engine, id: i64) -> Result<Run> {
    engine.store().run_get(id).await
}

/// The steps of a pipeline run, with their graph (what they need, their column), status, times
/// and outputs (steps that have not started yet are `queued`); empty for a run of a one-step
/// template.
pub async fn run_steps(engine: &Engine, id: i64) -> Result<Vec<RunStep>> {
    let store = engine.store();
    let (spec, _) = store.run_spec(id).await?;
    let steps = spec.steps();
    if steps.is_empty() {
        return Ok(Vec::new());
    }
    let stored = store.run_steps(id).await?;
    let depths = crate::plan::depths(steps);
    let deps = crate::template::pipeline::dependencies(steps);
    let now = now_ms();
    Ok(steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let needs = deps[i].iter().map(|j| steps[*j].name.clone()).collect();
            let mut out = RunStep {
                index: i as u16,
                name: step.name.clone(),
                kind: crate::template::pipeline::kind_name(step).to_string(),
                needs,
                depth: depths[i] as u16,
                status: StepStatus::Queued,
                started_at: None,
                ended_at: None,
                duration_ms: None,
                exit_code: None,
                outputs: BTreeMap::new(),
                error: None,
                continue_on_error: step.continue_on_error,
            };
            if let Some(s) = stored.iter().find(|s| s.index as usize == i) {
                out.status = s.status;
                out.started_at = s.started();
                out.ended_at = s.ended();
                out.duration_ms = s.started_at.map(|a| s.ended_at.unwrap_or(now) - a);
                out.exit_code = s.exit_code;
                out.outputs = s.outputs.clone();
                out.error = s.error.clone();
            }
            out
        })
        .collect())
}

/// A page of the history, newest first.
pub async fn run_list(engine: &Engine, filter: &RunFilter) -> Result<RunPage> {
    let (runs, total) = engine.store().run_list(filter).await?;
    Ok(RunPage { runs, total })
}

/// Up to `limit` log lines from `from_seq` on.
pub async fn run_logs(engine: &Engine, id: i64, from_seq: i64, limit: usize) -> Result<Vec<LogLine>> {
    engine.store().run_get(id).await?;
    engine.store().log_read(id, from_seq, limit).await
}

/// Cancels a run, whichever process executes it. The run ends `cancelled` shortly after; the
/// returned run may still show it running.
pub async fn run_cancel(engine: &Engine, caller: &Caller, id: i64) -> Result<Run> {
    let work = async {
        caller.require(Scope::Run)?;
        caller.may_run(&engine.store().run_get(id).await?.template)?;
        cancel(engine, id).await
    };
    let result = work.await;
    super::audit_record(engine, caller, "run.cancel", &format!("run {id}"), &result, None).await;
    result
}

async fn cancel(engine: &Engine, id: i64) -> Result<Run> {
    let run = engine.store().run_get(id).await?;
    if run.status.is_final() {
        return Err(Error::AlreadyEnded { id, status: run.status });
    }
    if run.status == RunStatus::Queued && engine.store().run_cancel_queued(id, now_ms()).await? {
        // It ended without starting: its template's rules still hear about it.
        crate::notify::run_ended(engine, id);
        engine.emit_run(id).await;
        return engine.store().run_get(id).await;
    }
    if !engine.stop_local(id) {
        if !engine.store().run_request_cancel(id).await? {
            let run = engine.store().run_get(id).await?;
            return Err(Error::AlreadyEnded { id, status: run.status });
        }
        // If its owner is dead, nobody will act on the request: recover it now.
        crate::run::recover_orphans(engine, false).await?;
    }
    engine.store().run_get(id).await
}
