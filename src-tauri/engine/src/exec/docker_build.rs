//! The docker-build executor: an image built on a Docker endpoint from a `.dockerignore`-aware
//! context, tagged, and pushed when the template says so.
//!
//! prepare (the context walked; tags and build args were checked by the caller) -> start (the
//! context streams to the daemon) -> tail (the build's output, then the push's progress, into the
//! log) -> wait (the end of each stream) -> destroy (the daemon removes intermediate containers
//! itself: the build runs with `forcerm`; a cancelled build is abandoned by closing its
//! connection, which makes the daemon stop it and clean up the same way).
//!
//! A Dockerfile error or a refused push is a failed step with Docker's own words
//! ([`StepOutcome::FailedBecause`]); a daemon that cannot be reached is an error of the engine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use bollard::auth::DockerCredentials;
use bollard::query_parameters::{BuildImageOptionsBuilder, PushImageOptionsBuilder, TagImageOptionsBuilder};
use futures_util::{Stream, StreamExt};
use tokio::sync::watch;

use super::{stop_requested, time_limit, StepOutcome, StopReason};
use crate::docker::{BuildContext, Connection, DockerfileSource, ImageRef};
use crate::error::{Error, Result};
use crate::log::{LineSplitter, LogWriter, RawLine};
use crate::model::LogStream;

/// Where the built image goes.
pub(crate) struct PushPlan {
    /// The registry's name (for messages).
    pub registry: String,
    /// Its host.
    pub host: String,
    /// What the daemon sends it.
    pub credentials: Option<DockerCredentials>,
    /// The tags that name its host.
    pub tags: Vec<ImageRef>,
}

/// A prepared build.
pub(crate) struct BuildStep {
    /// The context directory.
    pub context: PathBuf,
    /// The Dockerfile.
    pub dockerfile: DockerfileSource,
    /// Build arguments, variables put in.
    pub build_args: HashMap<String, String>,
    /// The stage to build.
    pub target: Option<String>,
    /// The tags, checked.
    pub tags: Vec<ImageRef>,
    /// The push, if any.
    pub push: Option<PushPlan>,
    /// Limit on the step's duration.
    pub timeout: Option<Duration>,
}

/// What a build produced, as far as it went (a refused push still built the image).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BuiltImage {
    /// The image's id (`sha256:…`), once built.
    pub id: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
    /// The digest of the pushed manifest, once pushed.
    pub digest: Option<String>,
}

enum End<T> {
    Done(T),
    Cancel,
    Timeout,
}

/// What one item of a progress stream asks for.
enum Item<E> {
    /// Lines for the log (possibly none).
    Lines(Vec<RawLine>),
    /// The stream failed.
    Failed(E),
}

/// Drives `stream` to its end, its lines into the log, unless the run is cancelled or times out
/// first (then the stream is dropped, which closes its connection and stops the daemon's work).
async fn drive<S, E>(
    mut stream: S,
    log: &LogWriter,
    stop: &mut watch::Receiver<StopReason>,
    started: tokio::time::Instant,
    timeout: Option<Duration>,
    mut each: impl FnMut(S::Item) -> Item<E>,
) -> End<Option<E>>
where
    S: Stream + Unpin,
{
    let sender = log.sender();
    let consume = async {
        while let Some(item) = stream.next().await {
            match each(item) {
                Item::Lines(lines) if lines.is_empty() => {}
                Item::Lines(lines) => {
                    let _ = sender.send(lines.into()).await;
                }
                Item::Failed(e) => return Some(e),
            }
        }
        None
    };
    tokio::select! {
        r = consume => End::Done(r),
        () = stop_requested(stop) => End::Cancel,
        () = time_limit(started, timeout) => End::Timeout,
    }
}

/// One line for the log.
fn line(stream: LogStream, text: &str) -> Vec<RawLine> {
    LineSplitter::new(stream).push(format!("{text}\n").as_bytes())
}

fn ended_early<T>(end: &End<T>) -> Option<StepOutcome> {
    match end {
        End::Cancel => Some(StepOutcome::Cancelled(None)),
        End::Timeout => Some(StepOutcome::TimedOut(None)),
        End::Done(_) => None,
    }
}

/// Builds (and pushes) the image.
pub(crate) async fn run_docker_build(
    conn: &Connection,
    step: BuildStep,
    log: &LogWriter,
    mut stop: watch::Receiver<StopReason>,
    built: &mut BuiltImage,
) -> Result<StepOutcome> {
    let started = tokio::time::Instant::now();
    let context = {
        let (root, dockerfile) = (step.context.clone(), step.dockerfile.clone());
        tokio::task::spawn_blocking(move || BuildContext::prepare(&root, &dockerfile))
            .await
            .map_err(|e| Error::Corrupt(format!("walking the build context failed: {e}")))?
    };
    let context = match context {
        Ok(c) => c,
        Err(message) => return Ok(StepOutcome::FailedBecause(message)),
    };
    log.system(format!(
        "Sending the build context {} to {} ({}): {} file(s), {}{}",
        step.context.display(),
        conn.endpoint.name,
        conn.endpoint.url,
        context.files,
        human_bytes(context.bytes),
        if context.excluded > 0 { format!(", {} left out by .dockerignore", context.excluded) } else { String::new() }
    ))
    .await;

    let mut options = BuildImageOptionsBuilder::default()
        .dockerfile(&context.dockerfile)
        .rm(true)
        .forcerm(true)
        .buildargs(&step.build_args);
    if let Some(first) = step.tags.first() {
        options = options.t(&first.to_string());
    }
    if let Some(target) = &step.target {
        options = options.target(target);
    }
    let credentials = step.push.as_ref().and_then(|p| p.credentials.clone().map(|c| (p.host.clone(), c)));
    let credentials = credentials.map(|(host, c)| HashMap::from([(host, c)]));
    let mut body = context.into_stream();
    let body = futures_util::stream::poll_fn(move |cx| body.poll_recv(cx));
    let build = conn.docker.build_image(options.build(), credentials, Some(bollard::body_try_stream(body)));

    let mut out = LineSplitter::new(LogStream::Stdout);
    let mut image_id: Option<String> = None;
    let mut last_status = String::new();
    let mut step_line = String::new();
    let end = drive(Box::pin(build), log, &mut stop, started, step.timeout, |item| match item {
        Ok(info) => {
            let mut lines = info.stream.map(|s| out.push(s.as_bytes())).unwrap_or_default();
            if let Some(l) = lines.iter().rev().find(|l| l.text.starts_with("Step ")) {
                step_line = l.text.clone();
            }
            if let Some(status) = info.status {
                let text = match info.id {
                    Some(id) => format!("{id}: {status}"),
                    None => status,
                };
                let progress_only = info.progress_detail.as_ref().is_some_and(|p| p.current.is_some());
                if !progress_only && text != last_status {
                    lines.extend(line(LogStream::Stdout, &text));
                    last_status = text;
                }
            }
            if let Some(id) = info.aux.and_then(|a| a.id) {
                image_id = Some(id);
            }
            Item::Lines(lines)
        }
        Err(e) => Item::Failed(e),
    })
    .await;
    if let Some(rest) = out.finish() {
        let _ = log.sender().send(rest.into()).await;
    }
    if let Some(outcome) = ended_early(&end) {
        log.system("The build was abandoned; the Docker daemon stops it and removes its intermediate containers").await;
        return Ok(outcome);
    }
    if let End::Done(Some(e)) = end {
        return match e {
            bollard::errors::Error::DockerStreamError { error } => {
                let _ = log.sender().send(line(LogStream::Stderr, error.trim_end()).into()).await;
                // A daemon shutting down kills the build's container, or fails the step with an
                // error of its own (`failed to update store for object type *libnetwork.endpoint`):
                // when it then stops answering, that is the news.
                let watch = if killed_by_signal(&error) {
                    Some(15)
                } else if !failed_instruction(&error) {
                    Some(10)
                } else {
                    None
                };
                if let Some(tries) = watch {
                    if daemon_went_away(conn, tries).await {
                        return Ok(StepOutcome::FailedBecause(format!(
                            "the Docker daemon at {} stopped during the build ({}): check that it is running (`scicd endpoint test {}`), then run again",
                            conn.endpoint.url,
                            error.trim(),
                            conn.endpoint.name
                        )));
                    }
                }
                let at = if step_line.is_empty() { String::new() } else { format!(" at {step_line}") };
                Ok(StepOutcome::FailedBecause(format!("the image build failed{at}: {}", error.trim())))
            }
            other => Err(conn.error(&other).into()),
        };
    }
    let Some(image_id) = image_id else {
        return Ok(StepOutcome::FailedBecause(format!(
            "the build ended without an image id: the Docker daemon at {} stopped answering (stopped or restarted?): check that it is running (`scicd endpoint test {}`), then run again",
            conn.endpoint.url, conn.endpoint.name
        )));
    };
    for extra in step.tags.iter().skip(1) {
        let options = TagImageOptionsBuilder::default().repo(&extra.repository()).tag(extra.tag_or_latest()).build();
        conn.docker.tag_image(&image_id, Some(options)).await.map_err(|e| conn.error(&e))?;
    }
    let tags: Vec<String> = step.tags.iter().map(ToString::to_string).collect();
    built.id = Some(image_id.clone());
    built.tags = tags.clone();
    log.system(format!(
        "Built image {image_id}{}",
        if tags.is_empty() { String::new() } else { format!(", tagged {}", tags.join(", ")) }
    ))
    .await;
    match &step.push {
        Some(plan) => push(conn, &step, plan, log, &mut stop, started, built).await,
        None => Ok(StepOutcome::Succeeded),
    }
}

/// A build instruction killed by SIGKILL or SIGTERM (exit code 137 or 143): an OOM kill, or the
/// daemon stopping and killing its containers.
fn killed_by_signal(error: &str) -> bool {
    error.contains("non-zero code: 137") || error.contains("non-zero code: 143")
}

/// An instruction of the Dockerfile that ran and failed (`The command '/bin/sh -c …' returned a
/// non-zero code: 1`), as opposed to an error of the daemon itself.
fn failed_instruction(error: &str) -> bool {
    error.contains("returned a non-zero code")
}

/// Whether the daemon stops answering within the next `tries` × 200 ms: a daemon that is shutting
/// down kills its containers first and closes its socket a moment later.
async fn daemon_went_away(conn: &Connection, tries: u32) -> bool {
    for _ in 0..tries {
        if conn.docker.ping().await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

async fn push(
    conn: &Connection,
    step: &BuildStep,
    plan: &PushPlan,
    log: &LogWriter,
    stop: &mut watch::Receiver<StopReason>,
    started: tokio::time::Instant,
    built: &mut BuiltImage,
) -> Result<StepOutcome> {
    for tag in &plan.tags {
        log.system(format!("Pushing {tag} to registry {} ({})", plan.registry, plan.host)).await;
        let options = PushImageOptionsBuilder::default().tag(tag.tag_or_latest()).build();
        let pushing = conn.docker.push_image(&tag.repository(), Some(options), plan.credentials.clone());
        let mut digest = None;
        let mut last = String::new();
        let end = drive(Box::pin(pushing), log, stop, started, step.timeout, |item| match item {
            Ok(info) => {
                let Some(status) = info.status else { return Item::Lines(Vec::new()) };
                if let Some(d) = status.split("digest: ").nth(1).and_then(|r| r.split_whitespace().next()) {
                    digest = Some(d.to_string());
                }
                let progress_only = info.progress_detail.as_ref().is_some_and(|p| p.current.is_some());
                if progress_only || status == last {
                    return Item::Lines(Vec::new());
                }
                let lines = line(LogStream::Stdout, &status);
                last = status;
                Item::Lines(lines)
            }
            Err(e) => Item::Failed(e),
        })
        .await;
        if let Some(outcome) = ended_early(&end) {
            log.system("The push was abandoned").await;
            return Ok(outcome);
        }
        if let End::Done(Some(e)) = end {
            let message = match &e {
                bollard::errors::Error::DockerStreamError { error } => error.trim().to_string(),
                other => return Err(conn.error(other).into()),
            };
            let _ = log.sender().send(line(LogStream::Stderr, &message).into()).await;
            return Ok(StepOutcome::FailedBecause(refused_push(plan, tag, &message)));
        }
        match digest {
            Some(d) => {
                log.system(format!("Pushed {tag} ({d})")).await;
                built.digest = Some(d);
            }
            None => log.system(format!("Pushed {tag}")).await,
        }
    }
    Ok(StepOutcome::Succeeded)
}

/// What to tell the user when a registry refuses a push.
fn refused_push(plan: &PushPlan, tag: &ImageRef, message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    let auth = ["unauthorized", "authentication required", "no basic auth credentials", "denied"]
        .iter()
        .any(|n| lower.contains(n));
    if auth {
        format!(
            "the registry {} ({}) refused the push of {tag}: {message}; check its user name and password (`scicd registry test {}`)",
            plan.registry, plan.host, plan.registry
        )
    } else if ["connection refused", "connection reset", "broken pipe", "eof", "i/o timeout", "dial tcp", "no route"]
        .iter()
        .any(|n| lower.contains(n))
    {
        format!(
            "the push of {tag} to registry {} ({}) failed: the registry went away or the Docker daemon cannot reach it ({message}); check that the registry is running at {}, then run again (the built image is kept)",
            plan.registry, plan.host, plan.host
        )
    } else {
        format!("the push of {tag} to registry {} ({}) failed: {message}", plan.registry, plan.host)
    }
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
