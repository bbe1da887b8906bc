//! A run of a one-step template (shell, docker-build, compose, ssh): its body executed as step 0 on the same
//! executors as a pipeline's steps, recorded in `run_steps` (status, times, outputs such as the
//! image a build produced), with no scheduler around it: its log reads as it always did.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::watch;

use super::execute::StepContext;
use super::pipeline::step_status;
use super::step_executor::{StepDone, StepExecutor, StepJob};
use crate::error::{Error, Result};
use crate::exec::{StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{now_ms, PipelineStep, StepBody, StepStatus, TemplateSpec};

/// Runs the one step of `spec` on `exec` and records it.
pub(crate) async fn run_one_step<E: StepExecutor>(
    ctx: &StepContext<'_>,
    spec: &TemplateSpec,
    env: Vec<(String, String)>,
    log: &LogWriter,
    stop: watch::Receiver<StopReason>,
    exec: &E,
) -> Result<StepOutcome> {
    let Some(body) = spec.body.as_step() else {
        return Err(Error::Corrupt("a pipeline was run as a one-step template".into()));
    };
    let store = ctx.engine.store();
    store.run_step_start(ctx.run.id, 0, StepStatus::Running, now_ms()).await?;
    let step = PipelineStep {
        name: spec.name.clone(),
        needs: Vec::new(),
        when: Default::default(),
        continue_on_error: false,
        env: BTreeMap::new(),
        timeout_seconds: spec.timeout_seconds,
        body: StepBody::Inline(body),
    };
    let job = StepJob {
        index: 0,
        key: ctx.run_key.to_string(),
        step,
        env,
        timeout: spec.timeout_seconds.map(Duration::from_secs),
        outputs_file: None,
    };
    let result = exec.execute(job, log, stop).await;
    let (status, exit_code, outputs, error) = match &result {
        Ok(StepDone { outcome, outputs }) => {
            let (status, code, error) = step_status(outcome);
            (status, code, outputs.clone(), error)
        }
        Err(e) => (StepStatus::Failed, None, BTreeMap::new(), Some(e.to_string())),
    };
    store.run_step_end(ctx.run.id, 0, status, exit_code, &outputs, error.as_deref(), now_ms()).await?;
    result.map(|done| done.outcome)
}
