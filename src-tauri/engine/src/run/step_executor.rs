//! The executor behind one step of a run (a pipeline's step, or the one step of a shell or
//! docker-build template's run), and its lifecycle.
//!
//! `execute` is called once per step that runs. It owns the whole lifecycle: prepare (the image,
//! the container, the script file), start, tail the step's output into its log writer, wait for
//! the end, and destroy what it started (processes, containers, temporary files) — destroy always
//! runs, after success, failure, cancel and timeout, and is idempotent. A non-zero exit, a refused
//! push or a declined approval is an outcome (`Ok`); `Err` means the executor could not do its job.
//! Executors return outcomes and outputs; the scheduler (`run::pipeline`) records them.
//!
//! [`Executors`] dispatches to the real ones by the step's kind: shell (host or container),
//! docker-build, approval, compose, ssh, helm. The engine's tests drive the scheduler with a scripted fake
//! (`run::fake_executor`), without processes.

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::watch;

use super::docker_step::{self, DockerRun};
use super::execute::StepContext;
use crate::deploy::compose::launch::Launch;
use crate::deploy::ssh::SshStep;
use crate::error::{Error, Result};
use crate::exec::{BuiltImage, StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{InlineBody, PipelineStep, StepBody};
use crate::store::NewRevision;

/// One step to execute, ready: its body resolved (outputs of earlier steps put in), its
/// environment, its time limit and the file its outputs are written to.
pub(crate) struct StepJob {
    /// The step's index in the plan.
    pub index: usize,
    /// What marks the processes and containers it starts: the run's key for a one-step run,
    /// `RUNKEY.INDEX` for a pipeline's step.
    pub key: String,
    /// The step.
    pub step: PipelineStep,
    /// The environment of what it starts.
    pub env: Vec<(String, String)>,
    /// Its time limit (its own, bounded by what the pipeline's leaves).
    pub timeout: Option<Duration>,
    /// `$SIMPLE_CICD_OUTPUT` (a pipeline's steps; a one-step run publishes no file outputs).
    pub outputs_file: Option<PathBuf>,
}

/// How a step ended and what it published.
pub(crate) struct StepDone {
    /// The outcome.
    pub outcome: StepOutcome,
    /// Its outputs (`${steps.NAME.outputs.KEY}`).
    pub outputs: BTreeMap<String, String>,
}

/// Runs steps. See the module documentation for the lifecycle.
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
        let StepJob { index: i, key, step, mut env, timeout, outputs_file } = job;
        let body = match step.body {
            StepBody::Inline(body) => body,
            StepBody::Uses(u) => {
                return Err(Error::invalid(
                    &format!("steps[{i}].uses"),
                    "invalid",
                    format!("`uses: {}` was not planned before the run", u.uses),
                ))
            }
        };
        for (k, v) in env.iter_mut() {
            if k == "SIMPLE_CICD_RUN_KEY" {
                *v = key.clone();
            }
        }
        if let Some(dir) = outputs_file.as_deref().and_then(|f| f.parent()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
        }
        let docker = |endpoint, env| DockerRun {
            engine: ctx.engine,
            run: ctx.run,
            run_key: &key,
            endpoint,
            timeout,
            workspace: ctx.workspace,
            env,
            log,
            stop: stop.clone(),
        };
        match body {
            InlineBody::Approval(a) => {
                let (outcome, outputs) =
                    super::approval::wait_for_answer(ctx, i as u16, &a, timeout, log, stop).await?;
                Ok(StepDone { outcome, outputs })
            }
            InlineBody::Shell(b) => {
                let outcome = match b.docker_endpoint() {
                    Some(endpoint) => {
                        ctx.engine.store().run_step_set_endpoint(ctx.run.id, i as u16, endpoint).await?;
                        docker_step::container(docker(endpoint, env), &b).await?
                    }
                    None => {
                        let script = script_path(ctx, i, &key);
                        ctx.run_script(&step.name, &b, timeout, script, &key, env, log, stop.clone()).await?
                    }
                };
                let outputs = match &outputs_file {
                    Some(file) => read_outputs(file, log).await,
                    None => BTreeMap::new(),
                };
                Ok(StepDone { outcome, outputs })
            }
            InlineBody::Compose(b) => {
                let project =
                    b.project.clone().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| project_name(&step.name));
                let dir = ctx.engine.data().script(ctx.run.id).with_file_name(format!("{}-{i}-compose", ctx.run.id));
                let launch = Launch {
                    engine: ctx.engine,
                    body: &b,
                    project: project.clone(),
                    template: &ctx.run.template,
                    workspace: ctx.workspace,
                    dir: dir.clone(),
                    env,
                    key: &key,
                    timeout,
                };
                let launched = crate::deploy::compose::launch::launch(launch, log, stop.clone()).await;
                // The env file and TLS files held secrets: gone with the launch, however it ended.
                let _ = std::fs::remove_dir_all(&dir);
                let launched = launched?;
                let mut outputs = BTreeMap::from([("project".to_string(), project.clone())]);
                if let Some(d) = launched.deployed {
                    let deployed = launched.outcome == StepOutcome::Succeeded;
                    let error = match &launched.outcome {
                        StepOutcome::FailedBecause(why) => Some(why.clone()),
                        StepOutcome::Succeeded => None,
                        other => Some(format!("{other:?}")),
                    };
                    let run = ctx.engine.store().run_get(ctx.run.id).await?;
                    let number = ctx
                        .engine
                        .store()
                        .app_revision_insert(NewRevision {
                            kind: "compose",
                            name: &project,
                            target: b.docker_endpoint(),
                            template: &run.template,
                            run_id: run.id,
                            step: i as u16,
                            trigger: &run.trigger,
                            commit: run.commit.as_ref(),
                            config: &d.config,
                            services: &d.services,
                            deployed,
                            error: error.as_deref(),
                            helm_revision: None,
                            now: crate::model::now_ms(),
                        })
                        .await?;
                    let result = if deployed { "deployed" } else { "failed" };
                    log.system(format!(
                        "Revision #{number} of app {project} on endpoint {}: {result}",
                        b.docker_endpoint()
                    ))
                    .await;
                    outputs.insert("revision".into(), number.to_string());
                }
                Ok(StepDone { outcome: launched.outcome, outputs })
            }
            InlineBody::Ssh(b) => {
                let dir = ctx.engine.data().script(ctx.run.id).with_file_name(format!("{}-{i}-ssh", ctx.run.id));
                let ssh = SshStep { engine: ctx.engine, body: &b, env, key: &key, dir: dir.clone(), timeout };
                let outcome = crate::deploy::ssh::run_ssh(ssh, log, stop.clone()).await;
                // The key file and the payload (the run's variables) go with the step.
                let _ = std::fs::remove_dir_all(&dir);
                Ok(StepDone { outcome: outcome?, outputs: BTreeMap::new() })
            }
            InlineBody::Helm(b) => {
                super::helm_step::execute(ctx, i, &step.name, &b, &env, timeout, log, stop.clone()).await
            }
            InlineBody::DockerBuild(b) => {
                let endpoint = b.docker_endpoint();
                ctx.engine.store().run_step_set_endpoint(ctx.run.id, i as u16, endpoint).await?;
                let mut built = BuiltImage::default();
                let outcome = docker_step::build(docker(endpoint, env), &b, &mut built).await?;
                Ok(StepDone { outcome, outputs: build_outputs(&built) })
            }
        }
    }
}

/// A compose project name from a template or step name: lower case letters, digits, `-` and `_`.
fn project_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    cleaned.trim_start_matches(['-', '_']).to_string()
}

/// Where a step's script is written: the run's script file for a one-step run, one per step
/// for a pipeline's.
fn script_path(ctx: &StepContext<'_>, i: usize, key: &str) -> PathBuf {
    let base = ctx.engine.data().script(ctx.run.id);
    if key == ctx.run_key {
        base
    } else {
        base.with_file_name(format!("{}-{i}.sh", ctx.run.id))
    }
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
fn build_outputs(built: &BuiltImage) -> BTreeMap<String, String> {
    let mut outputs = BTreeMap::new();
    let Some(id) = &built.id else { return outputs };
    outputs.insert("imageId".into(), id.clone());
    outputs.insert("tags".into(), built.tags.join(","));
    if let Some(d) = &built.digest {
        outputs.insert("digest".into(), d.clone());
    }
    let image = match (built.tags.first(), &built.digest) {
        (Some(tag), Some(d)) => {
            let repo = crate::docker::ImageRef::parse(tag).map(|r| r.repository()).unwrap_or_else(|_| tag.clone());
            format!("{repo}@{d}")
        }
        (Some(tag), None) => tag.clone(),
        (None, _) => id.clone(),
    };
    outputs.insert("image".into(), image);
    outputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pushed_build_publishes_its_image_by_digest() {
        let built = BuiltImage {
            id: Some("sha256:1".into()),
            tags: vec!["localhost:5000/web:7".into(), "localhost:5000/web:latest".into()],
            digest: Some("sha256:d".into()),
        };
        let o = build_outputs(&built);
        assert_eq!(o["image"], "localhost:5000/web@sha256:d");
        assert_eq!(o["tags"], "localhost:5000/web:7,localhost:5000/web:latest");
        assert_eq!((o["imageId"].as_str(), o["digest"].as_str()), ("sha256:1", "sha256:d"));
        let local = build_outputs(&BuiltImage { digest: None, ..built });
        assert_eq!(local["image"], "localhost:5000/web:7");
        assert!(build_outputs(&BuiltImage::default()).is_empty(), "no image, no outputs");
    }
}
