//! The container executor: a shell template's script run in a container of its `image` on a
//! Docker endpoint.
//!
//! prepare (the image, pulled if the endpoint lacks it; the container, labelled with the run; the
//! script copied in) -> start (attached first, as `docker run` does, so no line is written before
//! someone reads it) -> tail (the attach stream into the run's log, see [`super::container_output`])
//! -> wait (the script's exit code is the outcome; cancel and timeout stop the container, SIGKILL
//! after the grace period; then the output is read to the stream's own end) -> destroy (the
//! container is removed, and anything else carrying the run's label: always, and idempotently).
//!
//! The container logs to no Docker log driver: simple-cicd keeps the lines itself, and a second
//! copy on the daemon's disk would only cost time and space.
//!
//! On the local socket the run's workspace is bind-mounted at `/workspace`; a remote daemon cannot
//! see this machine's files, so there the workspace is copied in before the start (and changes are
//! not copied back).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use bollard::models::{ContainerCreateBody, HostConfig, HostConfigLogConfig};
use bollard::query_parameters::{
    AttachContainerOptionsBuilder, CreateContainerOptionsBuilder, CreateImageOptionsBuilder,
    StopContainerOptionsBuilder, UploadToContainerOptionsBuilder, WaitContainerOptionsBuilder,
};
use futures_util::StreamExt;
use tokio::sync::watch;

use super::container_output::OutputTail;
use super::{stop_requested, time_limit, StepOutcome, StopReason};
use crate::docker::{remove_container, remove_run_containers, Connection, DockerError};
use crate::error::{Error, Result};
use crate::log::LogWriter;

/// Where the workspace is inside the container.
pub(crate) const WORKSPACE: &str = "/workspace";
const SCRIPT_DIR: &str = ".simple-cicd";

/// A prepared container step.
pub(crate) struct ContainerStep {
    /// The image, variables already put in.
    pub image: String,
    /// The script's text.
    pub script: String,
    /// The run's workspace on this machine.
    pub workspace: PathBuf,
    /// The working directory inside the container.
    pub workdir: String,
    /// Bind-mount the workspace (local socket) rather than copy it in.
    pub mount_workspace: bool,
    /// Environment of the script.
    pub env: Vec<(String, String)>,
    /// The run's labels.
    pub labels: HashMap<String, String>,
    /// The container's name.
    pub name: String,
    /// The run's key (the label cleanup looks for).
    pub run_key: String,
    /// Limit on the step's duration, from its start.
    pub timeout: Option<Duration>,
    /// Time between SIGTERM and SIGKILL.
    pub grace: Duration,
}

/// Runs the step to its end; the container never outlives it.
pub(crate) async fn run_container(
    conn: &Connection,
    step: ContainerStep,
    log: &LogWriter,
    mut stop: watch::Receiver<StopReason>,
) -> Result<StepOutcome> {
    let started = tokio::time::Instant::now();
    let prepared = tokio::select! {
        r = prepare(conn, &step, log) => r,
        () = stop_requested(&mut stop) => return Ok(StepOutcome::Cancelled(None)),
        () = time_limit(started, step.timeout) => return Ok(StepOutcome::TimedOut(None)),
    };
    let outcome = match prepared {
        Ok(id) => run_created(conn, &id, &step, log, &mut stop, started).await,
        Err(e) => Err(e),
    };
    // Destroy: whatever the step ended like.
    if let Err(e) = remove_run_containers(&conn.docker, &step.run_key).await {
        log.system(format!("Could not remove the run's containers: {}", conn.error(&e))).await;
    }
    outcome
}

/// The image is there (pulled if needed), the container is created with the script in it.
async fn prepare(conn: &Connection, step: &ContainerStep, log: &LogWriter) -> Result<String> {
    ensure_image(conn, &step.image, log).await?;
    let mut host_config = HostConfig {
        log_config: Some(HostConfigLogConfig { typ: Some("none".into()), config: None }),
        ..Default::default()
    };
    if step.mount_workspace {
        host_config.binds = Some(vec![format!("{}:{WORKSPACE}", step.workspace.display())]);
    }
    let shebang = step.script.starts_with("#!");
    let script_path = format!("/{SCRIPT_DIR}/script");
    let cmd = if shebang { vec![script_path] } else { vec!["/bin/sh".to_string(), "-e".to_string(), script_path] };
    let body = ContainerCreateBody {
        image: Some(step.image.clone()),
        cmd: Some(cmd),
        env: Some(step.env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
        working_dir: Some(step.workdir.clone()),
        labels: Some(step.labels.clone()),
        tty: Some(false),
        attach_stdout: Some(true),
        attach_stderr: Some(true),
        host_config: Some(host_config),
        ..Default::default()
    };
    let options = CreateContainerOptionsBuilder::default().name(&step.name).build();
    let created = conn.docker.create_container(Some(options), body).await.map_err(|e| conn.error(&e))?;
    let files = {
        let script = step.script.clone();
        let workspace = (!step.mount_workspace).then(|| step.workspace.clone());
        tokio::task::spawn_blocking(move || files_tar(&script, workspace.as_deref()))
            .await
            .map_err(|e| Error::Corrupt(format!("packing the script failed: {e}")))?
            .map_err(|e| Error::io("cannot pack the script and workspace for the container".to_string(), e))?
    };
    let upload = UploadToContainerOptionsBuilder::default().path("/").build();
    conn.docker
        .upload_to_container(&created.id, Some(upload), bollard::body_full(files.into()))
        .await
        .map_err(|e| conn.error(&e))?;
    Ok(created.id)
}

/// The script (executable) and, when the workspace is not mounted, a copy of it.
fn files_tar(script: &str, workspace: Option<&std::path::Path>) -> std::io::Result<Vec<u8>> {
    let mut tar = tar::Builder::new(Vec::new());
    tar.follow_symlinks(false);
    let mut dir = tar::Header::new_gnu();
    dir.set_entry_type(tar::EntryType::Directory);
    dir.set_mode(0o755);
    dir.set_size(0);
    tar.append_data(&mut dir, format!("{SCRIPT_DIR}/"), std::io::empty())?;
    let mut file = tar::Header::new_gnu();
    file.set_mode(0o755);
    file.set_size(script.len() as u64);
    tar.append_data(&mut file, format!("{SCRIPT_DIR}/script"), script.as_bytes())?;
    if let Some(ws) = workspace {
        tar.append_dir_all(WORKSPACE.trim_start_matches('/'), ws)?;
    }
    tar.into_inner()
}

/// Uses the image when the endpoint has it, else pulls it (progress in the log).
async fn ensure_image(conn: &Connection, image: &str, log: &LogWriter) -> Result<()> {
    match conn.docker.inspect_image(image).await {
        Ok(_) => return Ok(()),
        Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => {}
        Err(e) => return Err(conn.error(&e).into()),
    }
    log.system(format!("The image {image} is not on endpoint {}: pulling it", conn.endpoint.name)).await;
    let options = CreateImageOptionsBuilder::default().from_image(image).build();
    let mut pull = conn.docker.create_image(Some(options), None, None);
    let mut last = String::new();
    while let Some(item) = pull.next().await {
        match item {
            Ok(info) => {
                let Some(status) = info.status else { continue };
                let line = match info.id {
                    Some(id) => format!("{id}: {status}"),
                    None => status,
                };
                if line != last && info.progress_detail.as_ref().is_none_or(|p| p.current.is_none()) {
                    log.system(line.clone()).await;
                    last = line;
                }
            }
            Err(e) => {
                let message = match &e {
                    bollard::errors::Error::DockerStreamError { error } => error.clone(),
                    other => conn.error(other).to_string(),
                };
                return Err(DockerError::Daemon {
                    url: conn.endpoint.url.clone(),
                    message: format!(
                        "the image {image} is not on endpoint {} and could not be pulled: {message}",
                        conn.endpoint.name
                    ),
                }
                .into());
            }
        }
    }
    Ok(())
}

/// start -> tail -> wait, stopping the container on cancel and timeout; then the rest of the output.
async fn run_created(
    conn: &Connection,
    id: &str,
    step: &ContainerStep,
    log: &LogWriter,
    stop: &mut watch::Receiver<StopReason>,
    started: tokio::time::Instant,
) -> Result<StepOutcome> {
    let options = AttachContainerOptionsBuilder::default().stream(true).stdout(true).stderr(true).build();
    let attached = conn.docker.attach_container(id, Some(options)).await.map_err(|e| conn.error(&e))?;
    let tail = OutputTail::start(attached.output, log.sender());
    conn.docker.start_container(id, None).await.map_err(|e| conn.error(&e))?;
    enum End {
        Exited(Result<i64>),
        Cancel,
        Timeout,
    }
    let end = tokio::select! {
        code = wait(conn, id) => End::Exited(code),
        () = stop_requested(stop) => End::Cancel,
        () = time_limit(started, step.timeout) => End::Timeout,
    };
    let outcome = match end {
        End::Exited(Ok(0)) => Ok(StepOutcome::Succeeded),
        End::Exited(Ok(code)) => Ok(StepOutcome::Failed(code as i32)),
        End::Exited(Err(e)) => Err(e),
        End::Cancel | End::Timeout => {
            let what = if matches!(end, End::Cancel) { "cancelled" } else { "timed out" };
            log.system(format!(
                "Run {what}: stopping the container (SIGTERM, SIGKILL after {}s)",
                step.grace.as_secs()
            ))
            .await;
            let options = StopContainerOptionsBuilder::default().t(step.grace.as_secs() as i32).build();
            if let Err(e) = conn.docker.stop_container(id, Some(options)).await {
                tracing::warn!(container = id, error = %e, "stopping a container failed; it is removed by force");
                let _ = remove_container(&conn.docker, id).await;
            }
            let code = tokio::time::timeout(Duration::from_secs(5), wait(conn, id)).await.ok().and_then(|r| r.ok());
            let code = code.map(|c| c as i32);
            Ok(if matches!(end, End::Cancel) { StepOutcome::Cancelled(code) } else { StepOutcome::TimedOut(code) })
        }
    };
    // The container has stopped: its output is read to the attach stream's own end, however long
    // that takes, as long as it keeps coming.
    match (tail.finish().await, outcome) {
        (Ok(()), outcome) => outcome,
        (Err(broken), Ok(StepOutcome::Succeeded)) => Ok(StepOutcome::FailedBecause(broken)),
        (Err(broken), outcome) => {
            log.system(format!("Error: {broken}")).await;
            outcome
        }
    }
}

/// The container's exit code, once it is no longer running.
async fn wait(conn: &Connection, id: &str) -> Result<i64> {
    let options = WaitContainerOptionsBuilder::default().condition("not-running").build();
    let mut waiting = conn.docker.wait_container(id, Some(options));
    match waiting.next().await {
        Some(Ok(r)) => Ok(r.status_code),
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => Ok(code),
        Some(Err(e)) => Err(conn.error(&e).into()),
        None => Err(DockerError::Daemon {
            url: conn.endpoint.url.clone(),
            message: "the daemon stopped answering while the container ran".into(),
        }
        .into()),
    }
}
