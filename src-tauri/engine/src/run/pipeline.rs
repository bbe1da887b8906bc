//! Executing a pipeline run: its steps as a graph, each started as soon as the steps it needs
//! have ended (side by side when the graph allows), skipped when its `when` does not hold, each
//! recorded in `run_steps` with its outcome and outputs, its log lines marked with its index.
//!
//! A failed step skips the steps after it that wait for success, unless it says
//! `continueOnError`; `when: on-failure` steps run because of it and `always` steps run anyway.
//! A cancel stops the running steps and skips the rest. The pipeline's `timeoutSeconds` bounds
//! every step by the time left.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::sync::watch;

use super::execute::StepContext;
use super::step_executor::{StepDone, StepExecutor, StepJob};
use crate::error::{Error, Result};
use crate::exec::{StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{now_ms, FieldError, InlineBody, PipelineStep, StepBody, StepStatus, StepWhen, TemplateSpec};
use crate::template::expand;
use crate::template::pipeline::{dependencies, kind_name, output_refs};
use crate::trigger::glob;

/// Where a step stands while the pipeline runs.
#[derive(Debug, Clone)]
struct State {
    status: StepStatus,
    /// A step it needs (or one before that) failed, so success-only steps after it do not run.
    failure_upstream: bool,
    outputs: BTreeMap<String, String>,
}

/// Runs the pipeline `spec` (already planned: every step inline) to its end, each step on `exec`.
pub(crate) async fn run_pipeline<E: StepExecutor>(
    ctx: &StepContext<'_>,
    spec: &TemplateSpec,
    env: Vec<(String, String)>,
    log: &LogWriter,
    stop: watch::Receiver<StopReason>,
    exec: &E,
) -> Result<StepOutcome> {
    let store = ctx.engine.store();
    let steps = spec.steps();
    let deps = dependencies(steps);
    let started = Instant::now();
    let limit = spec.timeout_seconds.map(Duration::from_secs);
    let mut state: Vec<State> = steps
        .iter()
        .map(|_| State { status: StepStatus::Queued, failure_upstream: false, outputs: BTreeMap::new() })
        .collect();
    log.system(format!("Pipeline {} #{}: {} step(s)", ctx.run.template, ctx.run.number, steps.len())).await;
    if let Some((old, from)) = store.run_retry_of(ctx.run.id).await? {
        take_over(ctx, steps, old, from as usize, &deps, &mut state, log).await?;
    }
    // Steps of one run side by side: at most `runs.maxParallel` of them (the run holds one slot of
    // the queue; its steps share the same bound).
    let width = crate::settings::int(ctx.engine, "runs.maxParallel").await.max(1) as usize;
    let mut running = FuturesUnordered::new();
    // Steps that ended while the scheduler awaited something else, in the order they ended.
    let mut ended = VecDeque::new();
    let mut timed_out = false;
    loop {
        let cancelled = *stop.borrow() != StopReason::None;
        let out_of_time = limit.is_some_and(|l| started.elapsed() >= l);
        timed_out |= out_of_time;
        for i in 0..steps.len() {
            if state[i].status != StepStatus::Queued || !deps[i].iter().all(|d| state[*d].status.is_final()) {
                continue;
            }
            let skipping = cancelled || out_of_time;
            if running.len() >= width && !skipping {
                break;
            }
            let failure_upstream = deps[i].iter().any(|d| {
                let dep = &state[*d];
                dep.failure_upstream || (failed(dep.status) && !steps[*d].continue_on_error)
            });
            state[i].failure_upstream = failure_upstream;
            let skip = if cancelled || out_of_time {
                Some(if cancelled { "the run was cancelled" } else { "the pipeline ran out of time" }.to_string())
            } else {
                skip_reason(&steps[i], failure_upstream, ctx, &env)
            };
            if let Some(why) = skip {
                state[i].status = StepStatus::Skipped;
                let no_outputs = BTreeMap::new();
                let skipped = store.run_step_end(
                    ctx.run.id,
                    i as u16,
                    StepStatus::Skipped,
                    None,
                    &no_outputs,
                    Some(&why),
                    now_ms(),
                );
                driving(&mut running, &mut ended, skipped).await?;
                driving(&mut running, &mut ended, log.system(format!("Step {}: skipped ({why})", steps[i].name))).await;
                continue;
            }
            state[i].status = StepStatus::Running;
            if !matches!(steps[i].body, StepBody::Inline(InlineBody::Approval(_))) {
                let start = store.run_step_start(ctx.run.id, i as u16, StepStatus::Running, now_ms());
                driving(&mut running, &mut ended, start).await?;
            }
            driving(&mut running, &mut ended, ctx.engine.emit_run(ctx.run.id)).await;
            let outputs: BTreeMap<&str, &BTreeMap<String, String>> =
                steps.iter().zip(&state).map(|(s, st)| (s.name.as_str(), &st.outputs)).collect();
            let planned = resolve_step(&steps[i], &outputs);
            let remaining = limit.map(|l| l.saturating_sub(started.elapsed()));
            running.push(run_one(exec, ctx, i, planned, env.clone(), remaining, log, stop.clone()));
        }
        let next = match ended.pop_front() {
            Some(done) => Some(done),
            None => running.next().await,
        };
        let Some((i, result)) = next else { break };
        let (status, exit_code, outputs, error) = match result {
            Ok(StepDone { outcome, outputs }) => {
                let (status, code, error) = step_status(&outcome);
                (status, code, outputs, error)
            }
            Err(e) => (StepStatus::Failed, None, BTreeMap::new(), Some(e.to_string())),
        };
        state[i].status = status;
        state[i].outputs = outputs.clone();
        let end = store.run_step_end(ctx.run.id, i as u16, status, exit_code, &outputs, error.as_deref(), now_ms());
        driving(&mut running, &mut ended, end).await?;
        driving(&mut running, &mut ended, store.run_sync_waiting(ctx.run.id)).await?;
        let detail = error.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
        driving(&mut running, &mut ended, log.system(format!("Step {}: {status}{detail}", steps[i].name))).await;
        driving(&mut running, &mut ended, ctx.engine.emit_run(ctx.run.id)).await;
    }
    Ok(pipeline_outcome(steps, &state, *stop.borrow() != StopReason::None, timed_out))
}

/// Awaits `work` while the running steps go on. A step future is only polled when its
/// `FuturesUnordered` is: one suspended inside a database call holds a pooled connection, and a
/// scheduler awaiting the database without polling them would wait for a connection only they can
/// give back (with more steps side by side than the pool has connections, forever). Steps that end
/// meanwhile are kept in `ended`, in order.
async fn driving<F: Future, T>(
    running: &mut FuturesUnordered<F>,
    ended: &mut VecDeque<F::Output>,
    work: impl Future<Output = T>,
) -> T {
    tokio::pin!(work);
    loop {
        tokio::select! {
            biased;
            out = &mut work => return out,
            Some(done) = running.next(), if !running.is_empty() => ended.push_back(done),
        }
    }
}

/// A retry from step `from` of run `old`: the steps that do not depend on it keep what they did
/// in the old run (status, outputs); `from` and the steps after it run again.
async fn take_over(
    ctx: &StepContext<'_>,
    steps: &[PipelineStep],
    old: i64,
    from: usize,
    deps: &[Vec<usize>],
    state: &mut [State],
    log: &LogWriter,
) -> Result<()> {
    let store = ctx.engine.store();
    let before = store.run_steps(old).await?;
    let old_run = store.run_get(old).await?;
    for (i, st) in state.iter_mut().enumerate() {
        if i == from || crate::template::pipeline::ancestors(deps, i).contains(&from) {
            continue;
        }
        let Some(prev) = before.iter().find(|s| s.index as usize == i) else { continue };
        if !prev.status.is_final() {
            continue;
        }
        st.status = prev.status;
        st.outputs = prev.outputs.clone();
        let note = format!("taken over from #{}", old_run.number);
        store
            .run_step_end(ctx.run.id, i as u16, prev.status, prev.exit_code, &prev.outputs, Some(&note), now_ms())
            .await?;
    }
    for (i, s) in state.iter().enumerate() {
        if s.status != StepStatus::Queued {
            log.system(format!("Step {}: {} (taken over from #{})", steps[i].name, s.status, old_run.number)).await;
        }
    }
    Ok(())
}

fn failed(status: StepStatus) -> bool {
    matches!(status, StepStatus::Failed | StepStatus::TimedOut | StepStatus::Interrupted | StepStatus::Cancelled)
}

/// Why the step does not run, when its condition says so.
fn skip_reason(
    step: &PipelineStep,
    failure_upstream: bool,
    ctx: &StepContext<'_>,
    env: &[(String, String)],
) -> Option<String> {
    let when = &step.when;
    match when.status {
        StepWhen::OnSuccess if failure_upstream => return Some("a step before it failed".into()),
        StepWhen::OnFailure if !failure_upstream => return Some("no step before it failed".into()),
        _ => {}
    }
    let var = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if !when.branches.is_empty() {
        let branch = var("SIMPLE_CICD_BRANCH").unwrap_or_default();
        if !when.branches.iter().any(|p| glob::matches(p, branch)) {
            return Some(format!("it runs for branches {}", when.branches.join(", ")));
        }
    }
    if !when.tags.is_empty() {
        let tag = var("SIMPLE_CICD_TAG").unwrap_or_default();
        if !when.tags.iter().any(|p| glob::matches(p, tag)) {
            return Some(format!("it runs for tags {}", when.tags.join(", ")));
        }
    }
    if !when.triggers.is_empty() {
        let trigger = ctx.run.trigger.split_whitespace().next().unwrap_or_default();
        if !when.triggers.iter().any(|t| t == trigger) {
            return Some(format!("it runs when started by {}", when.triggers.join(", ")));
        }
    }
    None
}

/// The step with every `${steps.NAME.outputs.KEY}` replaced by the output's value. A `$` in a
/// value stays a `$` (written `$$` for the variable expansion that follows).
fn resolve_step(step: &PipelineStep, outputs: &BTreeMap<&str, &BTreeMap<String, String>>) -> Result<PipelineStep> {
    let mut errors = Vec::new();
    let mut put = |path: &str, text: &str| -> String {
        let refs = match output_refs(text) {
            Ok(r) => r,
            Err(m) => {
                errors.push(FieldError::new(path, "invalid", m));
                return text.to_string();
            }
        };
        let mut out = String::new();
        let mut at = 0;
        for r in refs {
            out.push_str(&text[at..r.range.start]);
            match outputs.get(r.step.as_str()).and_then(|o| o.get(&r.key)) {
                Some(v) => out.push_str(&v.replace('$', "$$")),
                None => errors.push(FieldError::new(
                    path,
                    "unknown",
                    format!("step `{}` did not publish the output `{}`", r.step, r.key),
                )),
            }
            at = r.range.end;
        }
        out.push_str(&text[at..]);
        out
    };
    let mut s = step.clone();
    for (k, v) in s.env.iter_mut() {
        *v = put(&format!("env.{k}"), v);
    }
    match &mut s.body {
        StepBody::Inline(InlineBody::Shell(b)) => {
            if let Some(image) = b.image.as_mut() {
                *image = put("image", image);
            }
        }
        StepBody::Inline(InlineBody::DockerBuild(b)) => {
            for (j, t) in b.tags.iter_mut().enumerate() {
                *t = put(&format!("tags[{j}]"), t);
            }
            for (k, v) in b.build_args.iter_mut() {
                *v = put(&format!("buildArgs.{k}"), v);
            }
        }
        StepBody::Inline(InlineBody::Approval(a)) => a.message = put("message", &a.message),
        StepBody::Inline(InlineBody::Ssh(b)) => b.host = put("host", &b.host),
        StepBody::Inline(InlineBody::Helm(b)) => {
            for (k, v) in b.set.iter_mut() {
                *v = put(&format!("set.{k}"), v);
            }
        }
        StepBody::Inline(InlineBody::Compose(b)) => {
            if let Some(project) = b.project.as_mut() {
                *project = put("project", project);
            }
        }
        StepBody::Uses(_) => {}
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(Error::Invalid(errors))
    }
}

/// Runs step `i` on the executor, with its own log writer: its environment (the step's `env`
/// expanded, `SIMPLE_CICD_STEP`, `SIMPLE_CICD_OUTPUT`) and time limit made first. Returns its index
/// with the result.
#[allow(clippy::too_many_arguments)]
async fn run_one<E: StepExecutor>(
    exec: &E,
    ctx: &StepContext<'_>,
    i: usize,
    planned: Result<PipelineStep>,
    mut env: Vec<(String, String)>,
    remaining: Option<Duration>,
    log: &LogWriter,
    stop: watch::Receiver<StopReason>,
) -> (usize, Result<StepDone>) {
    let step_log = log.for_step(i as u16);
    let result = async {
        let step = planned?;
        let vars: BTreeMap<String, String> = env.iter().cloned().collect();
        for (k, v) in &step.env {
            let value = expand(v, &vars)
                .map_err(|m| Error::Invalid(vec![FieldError::new(format!("env.{k}"), "invalid", m)]))?;
            env.retain(|(name, _)| name != k);
            env.push((k.clone(), value));
        }
        let outputs_file = ctx.workspace.join(".simple-cicd").join("outputs").join(i.to_string());
        env.push(("SIMPLE_CICD_STEP".into(), step.name.clone()));
        env.push(("SIMPLE_CICD_OUTPUT".into(), outputs_file.to_string_lossy().into_owned()));
        let timeout = match (step.timeout_seconds.map(Duration::from_secs), remaining) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        step_log.system(format!("Step {} ({})", step.name, kind_name(&step))).await;
        let key = format!("{}.{i}", ctx.run_key);
        let job = StepJob { index: i, key, step, env, timeout, outputs_file: Some(outputs_file) };
        exec.execute(job, &step_log, stop).await
    }
    .await;
    if let Err(e) = &result {
        step_log.system(format!("Error: {e}")).await;
    }
    step_log.close().await;
    (i, result)
}

/// A step's outcome as its status, exit code and error.
pub(crate) fn step_status(outcome: &StepOutcome) -> (StepStatus, Option<i32>, Option<String>) {
    match outcome {
        StepOutcome::Succeeded => (StepStatus::Succeeded, Some(0), None),
        StepOutcome::Failed(code) => (StepStatus::Failed, Some(*code), None),
        StepOutcome::Cancelled(code) => (StepStatus::Cancelled, *code, None),
        StepOutcome::TimedOut(code) => (StepStatus::TimedOut, *code, Some("the step ran out of time".into())),
        StepOutcome::FailedBecause(why) => (StepStatus::Failed, None, Some(why.clone())),
    }
}

/// The run's outcome from its steps'.
fn pipeline_outcome(steps: &[PipelineStep], state: &[State], cancelled: bool, timed_out: bool) -> StepOutcome {
    if cancelled {
        return StepOutcome::Cancelled(None);
    }
    if timed_out || state.iter().any(|s| s.status == StepStatus::TimedOut) {
        return StepOutcome::TimedOut(None);
    }
    let failed: Vec<&str> = steps
        .iter()
        .zip(state)
        .filter(|(step, st)| failed(st.status) && !step.continue_on_error)
        .map(|(step, _)| step.name.as_str())
        .collect();
    if failed.is_empty() {
        StepOutcome::Succeeded
    } else {
        let names: Vec<String> = failed.iter().map(|n| format!("`{n}`")).collect();
        StepOutcome::FailedBecause(match names.as_slice() {
            [one] => format!("step {one} failed"),
            [init @ .., last] => format!("steps {} and {last} failed", init.join(", ")),
            [] => unreachable!("not empty"),
        })
    }
}
