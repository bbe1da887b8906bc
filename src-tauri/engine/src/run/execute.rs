//! Executing one run from queued to its end.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::exec::{run_shell, ShellStep, StepOutcome, StopReason};
use crate::log::mask::Masker;
use crate::log::LogWriter;
use crate::model::{
    format_duration, now_ms, parse_rfc3339, ParamType, Run, RunStatus, ShellBody, TemplateBody, TemplateKind,
    TemplateSpec,
};
use crate::Engine;

/// Executes run `run_id`, which must be registered as active in this engine. Never fails: an
/// engine error ends the run `failed` with the error's message.
pub(crate) async fn execute(engine: Engine, run_id: i64) {
    if let Err(e) = execute_inner(&engine, run_id).await {
        tracing::error!(run_id, error = %e, "run could not be executed");
        let error = with_disk_hint(&engine, e.to_string());
        let _ = engine.store().run_finish(run_id, RunStatus::Failed, None, Some(&error), now_ms()).await;
    }
    // Tracked before the run stops being active, so whoever waits for the run can then wait for
    // its notifications.
    crate::notify::run_ended(&engine, run_id);
    // Retention is applied while the run is still active: a short-lived process (`scicd run`)
    // waits for that before it exits; a trim after it was lost.
    if let Ok((spec, _)) = engine.store().run_spec(run_id).await {
        // Shell scripts and image builds add no app revision.
        let deploys = !matches!(spec.kind(), TemplateKind::Shell | TemplateKind::DockerBuild);
        crate::retention::trim_after_run(&engine, &spec.name, deploys).await;
    }
    engine.deactivate(run_id);
    engine.emit_run(run_id).await;
}

/// `error`, said first to come from a full disk when the data directory's disk is full.
fn with_disk_hint(engine: &Engine, error: String) -> String {
    match engine.data().full_disk() {
        Some(full) if !error.contains(&full) => format!("{full} ({error})"),
        _ => error,
    }
}

fn workdir_for(spec_workdir: Option<&str>, workspace: &Path) -> PathBuf {
    match spec_workdir.map(str::trim).filter(|w| !w.is_empty()) {
        None => workspace.to_path_buf(),
        Some(w) if Path::new(w).is_absolute() => PathBuf::from(w),
        Some(w) => workspace.join(w),
    }
}

async fn execute_inner(engine: &Engine, run_id: i64) -> Result<()> {
    let store = engine.store();
    let (spec, run_key) = store.run_spec(run_id).await?;
    let run = store.run_get(run_id).await?;
    let (stop, signal) = engine
        .active_channels(run_id)
        .ok_or_else(|| Error::NotFound { what: "active run", name: run_id.to_string() })?;

    engine.emit_run(run_id).await;
    let workspace = engine.data().workspace(run_id);
    // Read once: the checkout below needs it too. (Only a retry has anything to read.)
    let retry = if run.retry_of.is_some() { store.run_retry_of(run_id).await? } else { None };
    if let Some((old, _)) = retry {
        take_over_workspace(&engine.data().workspace(old), &workspace)?;
    }
    std::fs::create_dir_all(&workspace)
        .map_err(|e| Error::io(format!("cannot create the workspace {}", workspace.display()), e))?;
    signal.send_modify(|v| *v += 1);

    let secrets = resolve_secrets(engine, &spec).await;
    let masker = match &secrets {
        Ok(values) => Masker::new(values.iter().map(|(_, v)| v.as_str())),
        Err(_) => Masker::none(),
    };
    let log = LogWriter::start(store.clone(), run_id, run.log_lines, signal.clone(), masker);
    // One duration for the run everywhere: from its start (before any checkout) to its end, the
    // same two instants the log's Finished line and the run's record use.
    let started = run.started_at.as_deref().and_then(parse_rfc3339).unwrap_or_else(now_ms);
    let outcome = match secrets {
        Ok(secret_env) => {
            prepare_and_run(engine, &run, &spec, &run_key, &workspace, retry, secret_env, &log, stop).await
        }
        Err(e) => Err(e),
    };
    let finished_at = now_ms();
    let took = format_duration((finished_at - started).max(0) as u128);
    let (status, exit_code, error) = match outcome {
        Ok(StepOutcome::Succeeded) => (RunStatus::Succeeded, Some(0), None),
        Ok(StepOutcome::Failed(code)) => (RunStatus::Failed, Some(code), None),
        Ok(StepOutcome::Cancelled(code)) => (RunStatus::Cancelled, code, None),
        Ok(StepOutcome::TimedOut(code)) => {
            let limit = spec.timeout_seconds.unwrap_or_default();
            (RunStatus::TimedOut, code, Some(format!("the run took longer than its timeout of {limit}s")))
        }
        Ok(StepOutcome::FailedBecause(reason)) => (RunStatus::Failed, None, Some(reason)),
        Err(Error::Git { kind: crate::GitFailure::Cancelled, .. }) => (RunStatus::Cancelled, None, None),
        Err(e) => (RunStatus::Failed, None, Some(with_disk_hint(engine, e.to_string()))),
    };
    let code_text = exit_code.map(|c| format!(", exit code {c}")).unwrap_or_default();
    if let Some(error) = &error {
        log.system(format!("Error: {error}")).await;
    }
    log.system(format!("Finished: {status} after {took}{code_text}")).await;
    let report = log.close().await;
    // A run whose log could not be kept is not a success anyone can trust.
    let status = if report.error.is_some() && status == RunStatus::Succeeded { RunStatus::Failed } else { status };
    let error = match (error, report.error.map(|e| with_disk_hint(engine, e))) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    let _ = std::fs::remove_file(engine.data().script(run_id));
    // Ending the run must not be lost to a transient failure (a busy database), nor to a full
    // disk: while the disk is full the run stays active here and its end is written once the user
    // frees space (for up to 18 minutes).
    let mut attempt = 0;
    loop {
        match store.run_finish(run_id, status, exit_code, error.as_deref(), finished_at).await {
            Ok(_) => break,
            Err(e) if attempt < 10 || (attempt < 3600 && engine.data().full_disk().is_some()) => {
                tracing::warn!(run_id, error = %e, "cannot record the end of the run; retrying");
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
            Err(e) => return Err(e),
        }
    }
    signal.send_modify(|v| *v += 1);
    Ok(())
}

/// The values of the run's secret parameters, as `(variable, value)`.
/// A secret parameter that is not required and whose secret was never stored is left out (its
/// variable is unset) without asking the secret store, so it cannot fail a run on a machine
/// without a keyring.
async fn resolve_secrets(engine: &Engine, spec: &TemplateSpec) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut stored: Option<Vec<String>> = None;
    for p in spec.params.iter().filter(|p| p.kind == ParamType::Secret) {
        if !p.required {
            if stored.is_none() {
                stored = Some(engine.store().secret_all().await?.into_iter().map(|s| s.name).collect());
            }
            if !stored.as_ref().is_some_and(|names| names.iter().any(|n| n == p.secret_name())) {
                continue;
            }
        }
        out.push((p.name.clone(), crate::secrets::secret_value(engine, p.secret_name()).await?));
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn prepare_and_run(
    engine: &Engine,
    run: &Run,
    spec: &TemplateSpec,
    run_key: &str,
    workspace: &Path,
    retry: Option<(i64, u16)>,
    secret_env: Vec<(String, String)>,
    log: &LogWriter,
    stop: tokio::sync::watch::Receiver<StopReason>,
) -> Result<StepOutcome> {
    let mut git_env = Vec::new();
    let taken_over = match (&spec.source, retry, &run.commit) {
        (Some(_), Some((old, _)), Some(commit)) => {
            log.system(format!(
                "Source: commit {} of repository {}, in the workspace of run {old}",
                commit.short_sha, commit.repo
            ))
            .await;
            Some(commit.clone())
        }
        _ => None,
    };
    if let Some(commit) = taken_over {
        git_env = commit_env(&commit);
    } else if let Some(source) = &spec.source {
        let want = run.git_ref.clone().unwrap_or_else(|| source.git_ref.clone());
        let pinned = engine.store().run_git_sha(run.id).await?;
        let shown = if want.is_empty() { "its default branch".to_string() } else { want.clone() };
        log.system(format!("Source: repository {} at {shown}", source.repo)).await;
        let request = crate::git::SourceRequest { repo: &source.repo, want: &want, pinned };
        let commit = crate::git::prepare_source(engine, run.id, request, workspace, log, stop.clone()).await?;
        engine.emit_run(run.id).await;
        git_env = commit_env(&commit);
    }
    let mut env: Vec<(String, String)> = run
        .params
        .iter()
        // A secret parameter's recorded value is its reference (`secret:NAME`), never the value.
        .filter(|(k, _)| !spec.params.iter().any(|p| p.kind == ParamType::Secret && p.name == **k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    env.extend(secret_env);
    env.push(("SIMPLE_CICD_RUN_ID".into(), run.id.to_string()));
    env.push(("SIMPLE_CICD_RUN_NUMBER".into(), run.number.to_string()));
    env.push(("SIMPLE_CICD_TEMPLATE".into(), run.template.clone()));
    env.push(("SIMPLE_CICD_WORKSPACE".into(), workspace.to_string_lossy().into_owned()));
    env.push(("SIMPLE_CICD_RUN_KEY".into(), run_key.to_string()));
    env.extend(git_env);

    let ctx = StepContext { engine, run, run_key, workspace };
    let exec = super::step_executor::Executors { ctx: &ctx };
    match &spec.body {
        TemplateBody::Pipeline(_) => super::pipeline::run_pipeline(&ctx, spec, env, log, stop, &exec).await,
        _ => super::one_step::run_one_step(&ctx, spec, env, log, stop, &exec).await,
    }
}

/// What every step of a run shares.
pub(crate) struct StepContext<'a> {
    pub engine: &'a Engine,
    pub run: &'a Run,
    pub run_key: &'a str,
    pub workspace: &'a Path,
}

impl StepContext<'_> {
    /// Runs a shell body's script on the host, written to `script`, with the environment `env`.
    /// `key` marks the processes it starts so that its end stops exactly those: the run's key, or
    /// for a pipeline step `RUNKEY.INDEX` (which the run's crash recovery still finds).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn run_script(
        &self,
        name: &str,
        body: &ShellBody,
        timeout: Option<std::time::Duration>,
        script: PathBuf,
        key: &str,
        env: Vec<(String, String)>,
        log: &LogWriter,
        stop: tokio::sync::watch::Receiver<StopReason>,
    ) -> Result<StepOutcome> {
        let StepContext { engine, run, workspace, .. } = *self;
        let cwd = workdir_for(body.workdir.as_deref(), workspace);
        if !cwd.starts_with(workspace) && !cwd.is_dir() {
            return Err(Error::io(
                format!(
                    "the working directory {} does not exist; create it or change the template's workdir",
                    cwd.display()
                ),
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        std::fs::create_dir_all(&cwd).map_err(|e| Error::io(format!("cannot create {}", cwd.display()), e))?;
        write_script(&script, &body.script)?;
        if key.contains('.') {
            log.system(format!("Running step {name} in {}", cwd.display())).await;
        } else {
            log.system(format!("Running {} #{} ({}) in {}", run.template, run.number, run.trigger, cwd.display()))
                .await;
        }

        let step = ShellStep {
            script: script.clone(),
            shebang: body.script.starts_with("#!"),
            cwd,
            env,
            run_key: key.to_string(),
            timeout,
            grace: engine.cancel_grace().await,
        };
        let store = engine.store().clone();
        let run_id = run.id;
        let outcome = run_shell(step, log, stop, move |pgid| {
            tokio::spawn(async move {
                let _ = store.run_set_pgid(run_id, pgid).await;
            });
        })
        .await;
        let _ = std::fs::remove_file(&script);
        outcome
    }
}

/// What a script learns of the commit it runs on.
fn commit_env(commit: &crate::model::RunCommit) -> Vec<(String, String)> {
    let mut env = vec![
        ("SIMPLE_CICD_COMMIT".to_string(), commit.sha.clone()),
        ("SIMPLE_CICD_COMMIT_SHORT".to_string(), commit.short_sha.clone()),
        ("SIMPLE_CICD_REPO".to_string(), commit.repo.clone()),
    ];
    if let Some(b) = &commit.branch {
        env.push(("SIMPLE_CICD_BRANCH".to_string(), b.clone()));
    }
    if let Some(t) = &commit.tag {
        env.push(("SIMPLE_CICD_TAG".to_string(), t.clone()));
    }
    env
}

/// A retry works in the workspace of the run it retries: moved here, with a link left at the old
/// place so the old run's working directory still opens.
fn take_over_workspace(old: &Path, new: &Path) -> Result<()> {
    if new.exists() || !old.is_dir() || old.is_symlink() {
        return Ok(());
    }
    std::fs::rename(old, new).map_err(|e| Error::io(format!("cannot take over the workspace {}", old.display()), e))?;
    std::os::unix::fs::symlink(new, old)
        .map_err(|e| Error::io(format!("cannot link {} to {}", old.display(), new.display()), e))
}

fn write_script(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let fail = |e| Error::io(format!("cannot write the script {}", path.display()), e);
    std::fs::write(path, text).map_err(fail)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(fail)
}
