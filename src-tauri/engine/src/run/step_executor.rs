//! The executor behind one step of a pipeline, and its lifecycle.
//!
//! `execute` is called once per step that runs. It owns the whole lifecycle: prepare (the image,
//! the container, the script file), start, tail the step's output into its log writer, wait for
//! the end, and destroy what it started (processes, containers, temporary files) — destroy always
//! runs, after success, failure, cancel and timeout, and is idempotent. A non-zero exit, a refused
//! push or a declined approval is an outcome (`Ok`); `Err` means the executor could not do its job.
//! Executors return outcomes and outputs; the scheduler (`run::pipeline`) records them.
//!
//! [`Executors`] dispatches to the real ones by the step's kind: shell (host or container),
//! docker-build, approval. The engine's tests drive the scheduler with a scripted fake
//! (`run::fake_executor`), without processes.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::watch;

use super::execute::StepContext;
use crate::error::{Error, Result};
use crate::exec::{StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{InlineBody, PipelineStep, StepBody, TemplateKind, TemplateSpec};

/// One step to execute, ready: its body resolved (outputs of earlier steps put in), its
/// environment, its time limit and the file its outputs are written to.
pub(crate) struct StepJob {
    /// The step's index in the plan.
    pub index: usize,
    /// The step.
    pub step: PipelineStep,
    /// The environment of what it starts.
    pub env: Vec<(String, String)>,
    /// Its time limit (its own, bounded by what the pipeline's leaves).
    pub timeout: Option<Duration>,
    /// `$SIMPLE_CICD_OUTPUT`.
    pub outputs_file: PathBuf,
}

/// How a step ended and what it published.
pub(crate) struct StepDone {
    /// The outcome.
    pub outcome: StepOutcome,
    /// Its outputs (`${steps.NAME.outputs.KEY}`).
    pub outputs: BTreeMap<String, String>,
}

/// Runs pipeline steps. See the module documentation for the lifecycle.
pub(crate) trait StepExecutor: Sync {
    /// Runs `job` to its end, its lines into `log`; `stop` turning to cancel stops it.
    fn execute(
        &self,
        job: StepJob,
        log: &LogWriter,
        stop: watch::Receiver<StopReason>,
    ) -> impl Future<Output = Result<StepDone>> + Send;
}

/// The real executors, for the steps of one run.
pub(crate) struct Executors<'a> {
    /// The run.
    pub ctx: &'a StepContext<'a>,
}

impl StepExecutor for Executors<'_> {
    async fn execute(&self, job: StepJob, log: &LogWriter, stop: watch::Receiver<StopReason>) -> Result<StepDone> {
        let ctx = self.ctx;
        let StepJob { index: i, step, env, timeout, outputs_file } = job;
        let spec = match step.body {
            StepBody::Inline(InlineBody::Shell(b)) => TemplateSpec {
                kind: TemplateKind::Shell,
                name: step.name.clone(),
                script: b.script,
                image: b.image,
                endpoint: b.endpoint,
                workdir: b.workdir,
                timeout_seconds: timeout.map(|t| t.as_secs().max(1)),
                ..Default::default()
            },
            StepBody::Inline(InlineBody::DockerBuild(b)) => TemplateSpec {
                kind: TemplateKind::DockerBuild,
                name: step.name.clone(),
                endpoint: b.endpoint,
                dockerfile: b.dockerfile,
                dockerfile_inline: b.dockerfile_inline,
                context: b.context,
                build_args: b.build_args,
                target: b.target,
                tags: b.tags,
                push: b.push,
                timeout_seconds: timeout.map(|t| t.as_secs().max(1)),
                ..Default::default()
            },
            StepBody::Inline(InlineBody::Approval(a)) => {
                let (outcome, outputs) =
                    super::approval::wait_for_answer(ctx, i as u16, &a, timeout, log, stop).await?;
                return Ok(StepDone { outcome, outputs });
            }
            StepBody::Uses(u) => {
                return Err(Error::invalid(
                    &format!("steps[{i}].uses"),
                    "invalid",
                    format!("`uses: {}` was not planned before the run", u.uses),
                ))
            }
        };
        if let Some(dir) = outputs_file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        }
        let script = script_path(ctx, i);
        let key = format!("{}.{i}", ctx.run_key);
        let outcome = ctx.run_step(&spec, script, &key, env, log, stop).await?;
        let outputs = match spec.kind {
            TemplateKind::DockerBuild => build_outputs(ctx).await?,
            _ => read_outputs(&outputs_file, log).await,
        };
        Ok(StepDone { outcome, outputs })
    }
}

fn script_path(ctx: &StepContext<'_>, i: usize) -> PathBuf {
    let base = ctx.engine.data().script(ctx.run.id);
    base.with_file_name(format!("{}-{i}.sh", ctx.run.id))
}

/// The `name=value` lines a shell step appended to `$SIMPLE_CICD_OUTPUT`.
async fn read_outputs(file: &std::path::Path, log: &LogWriter) -> BTreeMap<String, String> {
    let mut outputs = BTreeMap::new();
    let Ok(text) = std::fs::read_to_string(file) else { return outputs };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match line.split_once('=') {
            Some((k, v)) if crate::template::is_output_name(k.trim()) => {
                outputs.insert(k.trim().to_string(), v.to_string());
            }
            _ => log.system(format!("Ignored a line of $SIMPLE_CICD_OUTPUT that is not NAME=value: {line}")).await,
        }
    }
    outputs
}

/// What a build step published: the image (by digest once pushed), its digest, tags and id.
async fn build_outputs(ctx: &StepContext<'_>) -> Result<BTreeMap<String, String>> {
    let run = ctx.engine.store().run_get(ctx.run.id).await?;
    let mut outputs = BTreeMap::new();
    if let Some(id) = &run.image_id {
        outputs.insert("imageId".into(), id.clone());
    }
    outputs.insert("tags".into(), run.image_tags.join(","));
    if let Some(d) = &run.image_digest {
        outputs.insert("digest".into(), d.clone());
    }
    let first = run.image_tags.first().cloned();
    let image = match (&first, &run.image_digest) {
        (Some(tag), Some(d)) => {
            let repo = crate::docker::ImageRef::parse(tag).map(|r| r.repository()).unwrap_or_else(|_| tag.clone());
            format!("{repo}@{d}")
        }
        (Some(tag), None) => tag.clone(),
        (None, _) => run.image_id.clone().unwrap_or_default(),
    };
    outputs.insert("image".into(), image);
    Ok(outputs)
}
