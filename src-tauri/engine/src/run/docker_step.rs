//! Preparing a Docker step from its body (a shell script in a container, an image build): the
//! run's variables put into the image, tags and build args (and checked before anything is sent),
//! the endpoint and registry looked up and connected to. Then the executor runs it. The run layer
//! has recorded the endpoint for crash recovery before.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::watch;

use crate::docker::{self, labels, DockerfileSource, ImageRef};
use crate::error::{Error, Result};
use crate::exec::{
    run_container, run_docker_build, BuildStep, BuiltImage, ContainerStep, PushPlan, StepOutcome, StopReason,
};
use crate::log::LogWriter;
use crate::model::{BuildBody, EndpointKind, FieldError, Run, ShellBody};
use crate::template::expand;
use crate::Engine;

/// What every Docker step of a run starts from.
pub(crate) struct DockerRun<'a> {
    pub engine: &'a Engine,
    pub run: &'a Run,
    /// The step's key (the run's, or `RUNKEY.INDEX` for a pipeline step).
    pub run_key: &'a str,
    /// The Docker endpoint's name.
    pub endpoint: &'a str,
    /// Limit on the step's duration.
    pub timeout: Option<Duration>,
    pub workspace: &'a Path,
    /// The run's environment (parameters, secrets, SIMPLE_CICD_*).
    pub env: Vec<(String, String)>,
    pub log: &'a LogWriter,
    pub stop: watch::Receiver<StopReason>,
}

impl DockerRun<'_> {
    fn vars(&self) -> BTreeMap<String, String> {
        self.env.iter().cloned().collect()
    }

    fn endpoint(&self) -> &str {
        self.endpoint
    }

    fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    async fn connect(&self) -> Result<docker::Connection> {
        let name = self.endpoint();
        let found = docker::find(self.engine, name).await?;
        self.log.system(format!("Connecting to Docker endpoint {name} ({})", found.url)).await;
        docker::connect(self.engine, name).await
    }
}

fn expand_field(path: &str, text: &str, vars: &BTreeMap<String, String>, errors: &mut Vec<FieldError>) -> String {
    expand(text, vars).unwrap_or_else(|message| {
        errors.push(FieldError::new(path, "invalid", message));
        String::new()
    })
}

/// A shell body with an `image`: its script in a container.
pub(crate) async fn container(d: DockerRun<'_>, body: &ShellBody) -> Result<StepOutcome> {
    let vars = d.vars();
    let mut errors = Vec::new();
    let image = expand_field("image", body.image.as_deref().unwrap_or_default(), &vars, &mut errors);
    if errors.is_empty() {
        if let Err(message) = ImageRef::parse(&image) {
            errors.push(FieldError::new("image", "invalid", message));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    d.log
        .system(format!(
            "Running {} #{} ({}) in a container of {image} on endpoint {}",
            d.run.template,
            d.run.number,
            d.run.trigger,
            d.endpoint()
        ))
        .await;
    let conn = d.connect().await?;
    let workdir = match body.workdir.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        None => crate::exec::CONTAINER_WORKSPACE.to_string(),
        Some(w) if w.starts_with('/') => w.to_string(),
        Some(w) => format!("{}/{w}", crate::exec::CONTAINER_WORKSPACE),
    };
    let env = d
        .env
        .iter()
        .filter(|(k, _)| k != "SIMPLE_CICD_RUN_KEY")
        .map(|(k, v)| {
            let v = if k == "SIMPLE_CICD_WORKSPACE" { crate::exec::CONTAINER_WORKSPACE.to_string() } else { v.clone() };
            (k.clone(), v)
        })
        .collect();
    let step = ContainerStep {
        image,
        script: body.script.clone(),
        workspace: d.workspace.to_path_buf(),
        workdir,
        mount_workspace: conn.endpoint.kind == EndpointKind::Unix,
        env,
        labels: labels::for_run(d.run.id, d.run_key, &d.run.template),
        name: match d.run_key.split_once('.') {
            Some((key, step)) => format!("simple-cicd-run-{}-{}-{step}", d.run.id, &key[..key.len().min(8)]),
            None => format!("simple-cicd-run-{}-{}", d.run.id, &d.run_key[..d.run_key.len().min(8)]),
        },
        run_key: d.run_key.to_string(),
        timeout: d.timeout(),
        grace: d.engine.cancel_grace().await,
    };
    run_container(&conn, step, d.log, d.stop).await
}

/// An image build; what it produced goes to `built`, as far as it went.
pub(crate) async fn build(d: DockerRun<'_>, body: &BuildBody, built: &mut BuiltImage) -> Result<StepOutcome> {
    let vars = d.vars();
    let mut errors = Vec::new();
    let mut tags = Vec::new();
    for (i, raw) in body.tags.iter().enumerate() {
        let path = format!("tags[{i}]");
        let text = expand_field(&path, raw, &vars, &mut errors);
        if text.is_empty() && !errors.is_empty() {
            continue;
        }
        match ImageRef::parse(&text) {
            Ok(r) if r.digest.is_some() => {
                errors.push(FieldError::new(path, "invalid", format!("`{text}`: a tag cannot name a digest")))
            }
            Ok(r) => tags.push(r),
            Err(message) => {
                errors.push(FieldError::new(path, "invalid", format!("after the variables were put in, {message}")))
            }
        }
    }
    let mut build_args = std::collections::HashMap::new();
    for (k, v) in &body.build_args {
        build_args.insert(k.clone(), expand_field(&format!("buildArgs.{k}"), v, &vars, &mut errors));
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let push = match &body.push {
        Some(p) => Some(push_plan(d.engine, &p.registry, &tags).await?),
        None => None,
    };
    let context = match body.context.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => d.workspace.to_path_buf(),
        Some(c) if Path::new(c).is_absolute() => PathBuf::from(c),
        Some(c) => d.workspace.join(c),
    };
    let dockerfile = match &body.dockerfile_inline {
        Some(text) if !text.trim().is_empty() => DockerfileSource::Inline(text.clone()),
        _ => DockerfileSource::Path(
            body.dockerfile.clone().filter(|p| !p.trim().is_empty()).unwrap_or("Dockerfile".into()),
        ),
    };
    d.log
        .system(format!(
            "Building {} #{} ({}) on endpoint {}{}",
            d.run.template,
            d.run.number,
            d.run.trigger,
            d.endpoint(),
            if tags.is_empty() {
                String::new()
            } else {
                format!(": {}", tags.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
            }
        ))
        .await;
    let conn = d.connect().await?;
    let step = BuildStep {
        context,
        dockerfile,
        build_args,
        target: body.target.clone().filter(|t| !t.trim().is_empty()),
        tags,
        push,
        timeout: d.timeout(),
    };
    run_docker_build(&conn, step, d.log, d.stop, built).await
}

/// The registry, its credentials from the keyring, and the tags that go there.
async fn push_plan(engine: &Engine, name: &str, tags: &[ImageRef]) -> Result<PushPlan> {
    let registry = crate::api::registry_get(engine, name).await?;
    let to_push: Vec<ImageRef> = tags.iter().filter(|t| t.registry_host() == registry.host).cloned().collect();
    if to_push.is_empty() {
        return Err(Error::invalid(
            "push.registry",
            "invalid",
            format!(
                "no tag names the host of registry {name} ({host}): tag the image as {host}/NAME:TAG to push it there",
                host = registry.host
            ),
        ));
    }
    let credentials = docker::credentials(engine, &registry).await?;
    if registry.has_password && credentials.as_ref().is_none_or(|c| c.password.is_none()) {
        return Err(Error::Docker(docker::DockerError::Registry {
            message: format!(
                "the password of registry {name} is no longer in the keyring; remove the registry and add it again"
            ),
        }));
    }
    Ok(PushPlan { registry: registry.name, host: registry.host, credentials, tags: to_push })
}
