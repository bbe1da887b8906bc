//! Launching a compose stack, step by step, so that a bad file or an image that cannot be pulled
//! leaves the running stack untouched:
//!
//! 1. the compose file(s) checked here (YAML, the specification's top level, version 1 files);
//! 2. `config --quiet` (compose's own validation, with the run's variables) and
//!    `config --no-interpolate`: the merged configuration as written, kept with the revision
//!    (variables such as secrets stay `${NAME}`, their values are never stored), both beside the
//!    search for compose;
//! 3. `pull` — before anything is stopped;
//! 4. `up -d --remove-orphans --wait --wait-timeout N`: the services' healthchecks decide success;
//! 5. the project's containers, read from the Docker API as `ps -a` would show them: each
//!    service's state and health, and the digests of the images they run, for the revision.
//!
//! Pull and up run as shell steps (their output in the log as it comes, cancel and timeout
//! stopping the process group); the compose CLI learns everything from environment variables
//! (`COMPOSE_FILE`, `COMPOSE_PROJECT_NAME`, `COMPOSE_ENV_FILES`, `DOCKER_HOST`), never from
//! spliced shell text. The run's variables (parameters, secrets) reach compose's interpolation as
//! its environment and an env file only the user can read.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::sync::watch;

use super::check::check_compose_text;
use super::cli::{self, ComposeCli};
use crate::error::{Error, Result};
use crate::exec::{run_shell, ShellStep, StepOutcome, StopReason};
use crate::log::LogWriter;
use crate::model::{ComposeBody, ServiceState};
use crate::Engine;

/// How long `up --wait` waits for healthy services when the body does not say.
pub(crate) const DEFAULT_WAIT: Duration = Duration::from_secs(300);

/// A prepared launch.
pub(crate) struct Launch<'a> {
    pub engine: &'a Engine,
    pub body: &'a ComposeBody,
    /// The compose project's name.
    pub project: String,
    /// The template whose run launches it (the app's template).
    pub template: &'a str,
    /// The run's workspace (paths of `files` are relative to it).
    pub workspace: &'a Path,
    /// A directory of the launch's own (the inline file, the env file, TLS files, scripts).
    pub dir: PathBuf,
    /// The run's variables.
    pub env: Vec<(String, String)>,
    /// What marks the processes it starts.
    pub key: &'a str,
    pub timeout: Option<Duration>,
}

/// What a launch did.
pub(crate) struct Launched {
    pub outcome: StepOutcome,
    /// The configuration and services, once compose accepted the file (absent when the launch
    /// stopped before anything ran).
    pub deployed: Option<Deployed>,
}

/// What a launch leaves for the app's revision.
#[derive(Debug, Clone)]
pub(crate) struct Deployed {
    /// `config --no-interpolate`: the merged configuration, variables left as written.
    pub config: String,
    /// The services after `up`.
    pub services: Vec<ServiceState>,
}

fn refused(why: impl Into<String>) -> Launched {
    Launched { outcome: StepOutcome::FailedBecause(why.into()), deployed: None }
}

/// Runs the launch; see the module documentation for its order.
pub(crate) async fn launch(l: Launch<'_>, log: &LogWriter, stop: watch::Receiver<StopReason>) -> Result<Launched> {
    std::fs::create_dir_all(&l.dir).map_err(|e| Error::io(format!("cannot create {}", l.dir.display()), e))?;
    let files = match compose_files(&l) {
        Ok(f) => f,
        Err(why) => return Ok(refused(why)),
    };
    let endpoint = l.body.docker_endpoint();
    let env_file = write_env_file(&l.dir, &l.env).map_err(|e| Error::io("cannot write the env file".to_string(), e))?;
    // The endpoint's variables last: a parameter named DOCKER_HOST or PATH does not redirect compose.
    let mut env = l.env.clone();
    env.extend(cli::endpoint_env(l.engine, endpoint, &l.dir).await?);
    let joined = std::env::join_paths(&files)
        .map_err(|_| Error::invalid("files", "invalid", "a compose file's path holds a ':'"))?;
    env.push(("COMPOSE_FILE".into(), joined.to_string_lossy().into_owned()));
    env.push(("COMPOSE_PROJECT_NAME".into(), l.project.clone()));
    env.push(("COMPOSE_ENV_FILES".into(), env_file.to_string_lossy().into_owned()));
    // An inline file's relative paths (`build: .`, `./data:/data`) are the workspace's.
    let mut base: Vec<String> = Vec::new();
    if l.body.compose.is_some() {
        env.push(("SIMPLE_CICD_COMPOSE_DIR".into(), l.workspace.to_string_lossy().into_owned()));
        base = vec!["--project-directory".into(), l.workspace.to_string_lossy().into_owned()];
    }
    let based = |c: ComposeCli| ComposeCli { prefix: [c.prefix.clone(), base.clone()].concat(), ..c };

    // Compose's own check and the configuration as written (for the revision) are read beside the
    // search for compose (each a process of a few tens of milliseconds), with the `docker compose`
    // plugin most installs have; another find reads them again with it.
    let likely = based(ComposeCli::plugin());
    let (found, checked, config) = tokio::join!(
        cli::find(),
        capture(&likely, &["config", "--quiet"], &env, &l.dir),
        capture(&likely, &["config", "--no-interpolate"], &env, &l.dir)
    );
    let compose = match found {
        Ok(c) => based(c),
        Err(why) => return Ok(refused(why)),
    };
    let (checked, config) = match compose.same_program(&likely) {
        true => (checked?, config?),
        false => (
            capture(&compose, &["config", "--quiet"], &env, &l.dir).await?,
            capture(&compose, &["config", "--no-interpolate"], &env, &l.dir).await?,
        ),
    };
    log.system(format!(
        "Deploying compose project {} to endpoint {endpoint} (Docker Compose {})",
        l.project, compose.version
    ))
    .await;
    if !checked.ok {
        return Ok(refused(format!(
            "docker compose config refused the file, nothing was changed: {}",
            last_lines(&checked.stderr)
        )));
    }
    let config = if config.ok { config.stdout } else { String::new() };

    let pulled = shell(&l, &compose, "pull", &env, log, stop.clone()).await?;
    match pulled {
        StepOutcome::Succeeded => {}
        StepOutcome::Failed(_) => {
            // An image built on this endpoint and never pushed cannot be pulled, and need not be.
            let missing = missing_images(&l, &compose, &env, endpoint).await?;
            if !missing.is_empty() {
                return Ok(refused(format!(
                    "the images could not be pulled and are not on endpoint {endpoint}: {} (see the log above); the running services were not touched",
                    missing.join(", ")
                )));
            }
            log.system(format!(
                "The pull failed, but every image is already on endpoint {endpoint}: the launch goes on with them"
            ))
            .await;
        }
        other => return Ok(Launched { outcome: other, deployed: None }),
    }
    let wait = l.body.wait_seconds.map(Duration::from_secs).unwrap_or(DEFAULT_WAIT).as_secs().to_string();
    let mut up_env = env.clone();
    up_env.push(("SIMPLE_CICD_COMPOSE_WAIT".into(), wait));
    // From here on containers may run: the app exists before `up`, so a launch whose process is
    // killed midway leaves an app to look at and take down, not a stack nobody owns.
    l.engine.store().app_ensure("compose", &l.project, endpoint, l.template, crate::model::now_ms()).await?;
    let up = shell(
        &l,
        &compose,
        "up -d --remove-orphans --wait --wait-timeout \"$SIMPLE_CICD_COMPOSE_WAIT\"",
        &up_env,
        log,
        stop,
    )
    .await?;
    let (services, unreadable) = match super::ps::running_services(l.engine, endpoint, &l.project).await {
        Ok(services) => (services, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let outcome = match up {
        // Compose failed and the daemon no longer answers: that is the news, not compose's exit code.
        StepOutcome::Failed(_) if unreadable.is_some() => StepOutcome::FailedBecause(format!(
            "the launch did not finish: {}; then look at the app (its services may be half updated) and deploy again",
            unreadable.as_ref().map(ToString::to_string).unwrap_or_default()
        )),
        StepOutcome::Failed(code) => {
            let bad: Vec<String> = services
                .iter()
                .filter(|s| s.state != "running" || s.health == "unhealthy" || s.health == "starting")
                .map(|s| {
                    format!(
                        "{} ({}{})",
                        s.service,
                        s.state,
                        if s.health.is_empty() { String::new() } else { format!(", {}", s.health) }
                    )
                })
                .collect();
            if bad.is_empty() {
                StepOutcome::Failed(code)
            } else {
                StepOutcome::FailedBecause(format!("the stack did not become healthy: {}", bad.join(", ")))
            }
        }
        other => other,
    };
    for s in &services {
        let health = if s.health.is_empty() { String::new() } else { format!(", {}", s.health) };
        log.system(format!("Service {}: {}{health}, {}", s.service, s.state, s.pinned)).await;
    }
    Ok(Launched { outcome, deployed: Some(Deployed { config, services }) })
}

/// The stack's images (variables put in) that the endpoint does not have.
async fn missing_images(
    l: &Launch<'_>,
    compose: &ComposeCli,
    env: &[(String, String)],
    endpoint: &str,
) -> Result<Vec<String>> {
    let listed = capture(compose, &["config", "--images"], env, &l.dir).await?;
    let images: Vec<String> =
        listed.stdout.lines().map(str::trim).filter(|i| !i.is_empty()).map(String::from).collect();
    let conn = crate::docker::connect(l.engine, endpoint).await?;
    let mut missing = Vec::new();
    for image in images {
        if conn.docker.inspect_image(&image).await.is_err() {
            missing.push(image);
        }
    }
    Ok(missing)
}

/// The compose files: the inline one written to the launch's directory, or the workspace's,
/// each checked before compose sees it.
fn compose_files(l: &Launch<'_>) -> std::result::Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    if let Some(text) = &l.body.compose {
        let problems = check_compose_text(text);
        if !problems.is_empty() {
            return Err(format!("the compose file has problems, nothing was changed: {}", problems.join("; ")));
        }
        let path = l.dir.join("compose.yaml");
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        files.push(path);
    }
    for name in &l.body.files {
        let path = l.workspace.join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!("the compose file {name} cannot be read in the run's workspace ({}): {e}", path.display())
        })?;
        let problems = check_compose_text(&text);
        if !problems.is_empty() && !files.is_empty() {
            // An override file need not have services of its own; only its syntax matters.
            if let Some(p) = problems.iter().find(|p| p.contains("YAML")) {
                return Err(format!("{name}: {p}"));
            }
        } else if !problems.is_empty() {
            return Err(format!("{name}: {}, nothing was changed", problems.join("; ")));
        }
        files.push(path);
    }
    if files.is_empty() {
        return Err(
            "the compose template has neither `compose` (the file itself) nor `files` (paths in the source)".into()
        );
    }
    Ok(files)
}

/// The run's variables as an env file only the user can read; a value compose's env-file syntax
/// cannot hold literally (a `'` or a line break) stays out of it (the process environment, which
/// compose reads first, still has it).
fn write_env_file(dir: &Path, env: &[(String, String)]) -> std::io::Result<PathBuf> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join("run.env");
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&path)?;
    for (k, v) in env.iter().filter(|(_, v)| !v.contains(['\'', '\n', '\r'])) {
        writeln!(f, "{k}='{v}'")?;
    }
    Ok(path)
}

struct Captured {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// Runs a short compose command whose output is data, not log.
async fn capture(compose: &ComposeCli, args: &[&str], env: &[(String, String)], dir: &Path) -> Result<Captured> {
    let mut cmd = compose.command(args, env);
    cmd.current_dir(dir).kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(120), cmd.output())
        .await
        .map_err(|_| {
            Error::io(format!("{} did not answer in 120 s", compose.shown(args)), std::io::ErrorKind::TimedOut.into())
        })?
        .map_err(|e| Error::io(format!("cannot run {}", compose.shown(args)), e))?;
    Ok(Captured {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" ").trim().to_string()
}

/// Runs `compose SUBCOMMAND` as a shell step of the run: live log, cancel, timeout.
async fn shell(
    l: &Launch<'_>,
    compose: &ComposeCli,
    subcommand: &str,
    env: &[(String, String)],
    log: &LogWriter,
    stop: watch::Receiver<StopReason>,
) -> Result<StepOutcome> {
    let script = l.dir.join(format!("{}.sh", subcommand.split_whitespace().next().unwrap_or("compose")));
    // The program and its words are simple-cicd's own (`docker compose`); every value (the project
    // directory among them) is a variable.
    let words: Vec<&str> = compose
        .prefix
        .iter()
        .map(|w| if w.starts_with('/') { "\"$SIMPLE_CICD_COMPOSE_DIR\"" } else { w.as_str() })
        .collect();
    let prefix = if words.is_empty() { String::new() } else { format!(" {}", words.join(" ")) };
    let text = format!("exec \"$SIMPLE_CICD_COMPOSE_PROGRAM\"{prefix} {subcommand}\n");
    std::fs::write(&script, text).map_err(|e| Error::io(format!("cannot write {}", script.display()), e))?;
    let mut env = env.to_vec();
    env.push(("SIMPLE_CICD_COMPOSE_PROGRAM".into(), compose.program.clone()));
    env.push(("SIMPLE_CICD_RUN_KEY".into(), l.key.to_string()));
    let wait = env.iter().find(|(k, _)| k == "SIMPLE_CICD_COMPOSE_WAIT").map(|(_, v)| v.as_str()).unwrap_or("");
    let shown = subcommand.replace("\"$SIMPLE_CICD_COMPOSE_WAIT\"", wait);
    log.system(format!("$ {}", compose.shown(&shown.split(' ').collect::<Vec<_>>()))).await;
    let step = ShellStep {
        script,
        shebang: false,
        cwd: l.dir.clone(),
        env,
        run_key: l.key.to_string(),
        timeout: l.timeout,
        grace: l.engine.cancel_grace().await,
    };
    run_shell(step, log, stop, |_| {}).await
}

/// The revision's configuration with every service's image pinned to the digest it ran: what a
/// rollback launches.
pub(crate) fn pinned_config(config: &str, services: &[ServiceState]) -> std::result::Result<String, String> {
    let mut value: serde_yaml::Value =
        serde_yaml::from_str(config).map_err(|e| format!("the revision's configuration cannot be read: {e}"))?;
    let Some(list) = value.get_mut("services").and_then(|s| s.as_mapping_mut()) else {
        return Err("the revision's configuration has no services".into());
    };
    for s in services.iter().filter(|s| s.pinned.contains('@')) {
        if let Some(service) = list.get_mut(s.service.as_str()).and_then(|v| v.as_mapping_mut()) {
            service.insert("image".into(), s.pinned.clone().into());
            service.remove("build");
        }
    }
    serde_yaml::to_string(&value).map_err(|e| format!("cannot write the pinned configuration: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rollback_pins_each_image_to_its_digest_and_keeps_variables() {
        let config = "name: shop\nservices:\n  web:\n    image: localhost:5000/web:latest\n    environment:\n      TOKEN: ${TOKEN}\n";
        let s = vec![ServiceState {
            service: "web".into(),
            state: "running".into(),
            health: String::new(),
            image: "localhost:5000/web:latest".into(),
            pinned: "localhost:5000/web@sha256:abc".into(),
        }];
        let pinned = pinned_config(config, &s).unwrap();
        assert!(pinned.contains("image: localhost:5000/web@sha256:abc"), "{pinned}");
        assert!(pinned.contains("${TOKEN}"), "variables stay unresolved: {pinned}");
    }
}
