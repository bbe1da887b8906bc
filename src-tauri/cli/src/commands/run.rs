//! `scicd run NAME [-p K=V]... [--ref REF] [--detach]`.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{EmailState, LogStream, Run, RunStatus};
use simple_cicd_engine::{api, follow_each, Engine, Followed};
use tokio::signal::unix::{signal, SignalKind};

use super::parse_params;
use crate::args::RunArgs;
use crate::failure::{CmdResult, Failure};

/// Runs a template in the foreground, or hands it to a detached worker.
pub async fn run(data_dir: Option<PathBuf>, args: RunArgs) -> CmdResult {
    let params = parse_params(&args.params)?;
    let engine = crate::open_engine(data_dir).await?;
    if let Some(r) = &args.git_ref {
        // A ref that does not exist is a usage mistake: refused before a run is created.
        let template = api::template_get(&engine, &args.name).await?;
        let Some(source) = &template.spec.source else {
            return Err(Failure::usage(format!(
                "template {} has no source repository, so --ref does not apply",
                args.name
            )));
        };
        simple_cicd_engine::trigger::check_ref_name(r).map_err(Failure::usage)?;
        check_ref_exists(&engine, &source.repo, r).await?;
    }
    if args.detach {
        // Validate here so mistakes are reported by this command, not lost in the background.
        let template = api::template_get(&engine, &args.name).await?;
        simple_cicd_engine::template::resolve_params(&template.spec.params, &params)?;
        return detach(&engine, &args).map(|id| {
            println!("{id}");
            0
        });
    }
    let options = api::StartOptions { git_ref: args.git_ref.clone(), ..Default::default() };
    let run = api::run_start_with(&engine, &Caller::cli(), &args.name, &params, &options).await?;
    eprintln!("Run {} #{} created (id {})", run.template, run.number, run.id);
    let end = stream_until_end(&engine, run.id, 1, true).await?;
    super::steps::print_summary(&engine, end.id).await;
    report_notifications(&engine, end.id).await;
    Ok(exit_status(&end))
}

/// Refuses `want` unless it is a branch or a tag of `repo` (asked of the remote), or could be a
/// commit (a hex abbreviation, which only a fetch can check). The refusal lists what exists.
async fn check_ref_exists(engine: &Engine, repo: &str, want: &str) -> CmdResult<()> {
    let looks_like_commit = want.len() >= 7 && want.len() <= 40 && want.chars().all(|c| c.is_ascii_hexdigit());
    if looks_like_commit {
        return Ok(());
    }
    let refs = api::repo_test(engine, repo).await?;
    let short = want.strip_prefix("refs/heads/").or_else(|| want.strip_prefix("refs/tags/")).unwrap_or(want);
    let found = refs.branches.iter().chain(refs.tags.iter()).any(|r| r.name == short);
    if found {
        return Ok(());
    }
    let show = |list: &[simple_cicd_engine::model::RemoteRef]| {
        simple_cicd_engine::git::ref_names(list.iter().map(|r| r.name.clone()).collect())
    };
    Err(Failure::usage(format!(
        "`{want}` is no branch or tag of repository {repo} (nor a commit id). Branches: {}; tags: {}. No run was created",
        show(&refs.branches),
        show(&refs.tags)
    )))
}

/// How long `scicd run` waits for the e-mail of its run after the run ended.
const EMAIL_WAIT: Duration = Duration::from_secs(90);

/// Waits for the notifications of an ended run and says what became of its e-mail. The run's
/// outcome is already final: this only decides when the process exits. Ctrl-C stops waiting.
pub async fn report_notifications(engine: &Engine, run_id: i64) {
    if api::run_wait(engine, run_id).await.is_err() {
        return;
    }
    let mut announced = false;
    let mut int = signal(SignalKind::interrupt()).ok();
    let settled = engine.notifications_settled(EMAIL_WAIT);
    tokio::pin!(settled);
    loop {
        tokio::select! {
            _ = &mut settled => break,
            _ = async { match int.as_mut() { Some(s) => { s.recv().await; } None => std::future::pending().await } } => {
                engine.notifications_settled(Duration::ZERO).await;
                break;
            }
            _ = tokio::time::sleep(Duration::from_millis(300)), if !announced => {
                announced = true;
                if let Ok(run) = api::run_get(engine, run_id).await {
                    if let Some(email) = run.email.filter(|e| e.state == EmailState::Pending) {
                        eprintln!("» Sending the e-mail to {} (Ctrl-C to stop waiting)…", email.recipients.join(", "));
                    }
                }
            }
        }
    }
    // A run of a template without notification rules sends no e-mail: nothing to read back.
    let notifies = engine.store().run_spec(run_id).await.map_or(true, |(spec, _)| !spec.notify.is_empty());
    if !notifies {
        return;
    }
    if let Ok(Run { email: Some(email), .. }) = api::run_get(engine, run_id).await {
        let answer = email.message.unwrap_or_default();
        match email.state {
            EmailState::Sent => eprintln!("» E-mail sent to {}: {answer}", email.recipients.join(", ")),
            _ => eprintln!("» E-mail not sent: {answer}"),
        }
    }
}

/// The exit status of `scicd run` for a run's final state.
pub fn exit_status(run: &Run) -> u8 {
    match run.status {
        RunStatus::Succeeded => 0,
        RunStatus::Cancelled => 130,
        _ => 1,
    }
}

/// Prints one log line the way every command does: the script's stdout on stdout, its stderr on
/// stderr, and simple-cicd's own lines on stderr after `» `. False when stdout is closed.
pub fn print_line(out: &mut impl Write, stream: LogStream, text: &str, prefix: &str) -> bool {
    match stream {
        LogStream::Stdout => out
            .write_all(prefix.as_bytes())
            .and_then(|()| out.write_all(text.as_bytes()))
            .and_then(|()| out.write_all(b"\n"))
            .is_ok(),
        LogStream::Stderr => {
            let _ = out.flush();
            eprintln!("{prefix}{text}");
            true
        }
        LogStream::System => {
            let _ = out.flush();
            eprintln!("{prefix}» {text}");
            true
        }
    }
}

/// How long a run may stay queued before `scicd run` says it waits for a slot: a run that gets
/// one at once is queued for a few milliseconds, and saying it waits would be wrong.
const QUEUED_NOTICE_AFTER: Duration = Duration::from_millis(700);

/// Prints a run's lines from `from_seq` until it ends; script stdout to stdout, the rest to stderr.
/// With `cancel_on_signal`, Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel the run gracefully and the
/// log keeps streaming until it has ended.
pub async fn stream_until_end(engine: &Engine, run_id: i64, from_seq: i64, cancel_on_signal: bool) -> CmdResult<Run> {
    let mut final_run: Option<Run> = None;
    let step_prefixes = super::steps::prefixes(&super::steps::names(engine, run_id).await);
    // 0: not seen queued, 1: queued, 2: started (a status past queued, or lines).
    let queued = std::sync::atomic::AtomicU8::new(0);
    let notice = async {
        tokio::time::sleep(QUEUED_NOTICE_AFTER).await;
        if queued.load(std::sync::atomic::Ordering::Relaxed) == 1 {
            eprintln!("» Queued: waiting for a free slot (setting runs.maxParallel, or the template's concurrency)");
        }
        std::future::pending::<()>().await
    };
    let printer = async {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
        let mut open = true;
        follow_each(engine, run_id, from_seq, |event| {
            match event {
                Followed::Lines(lines) => {
                    queued.store(2, std::sync::atomic::Ordering::Relaxed);
                    let prefix = super::steps::prefix(&step_prefixes, lines.step);
                    if lines.stream == LogStream::Stdout && prefix.is_empty() {
                        // The lines as they are stored are the lines as they are printed: one write.
                        open = open && out.write_all(lines.text.as_bytes()).is_ok();
                    } else {
                        for l in lines.lines() {
                            // Once stdout is closed (a pipe to `head`), keep following quietly.
                            if open || l.stream != LogStream::Stdout {
                                open &= print_line(&mut out, l.stream, l.text, prefix);
                            }
                        }
                    }
                }
                Followed::PageEnd => {
                    let _ = out.flush();
                }
                Followed::End(run) => final_run = Some(run),
                Followed::Status(run) if run.status == RunStatus::Queued => {
                    let _ = queued.compare_exchange(
                        0,
                        1,
                        std::sync::atomic::Ordering::Relaxed,
                        std::sync::atomic::Ordering::Relaxed,
                    );
                }
                Followed::Status(_) => queued.store(2, std::sync::atomic::Ordering::Relaxed),
            }
            true
        })
        .await
    };
    tokio::pin!(notice);
    if !cancel_on_signal {
        tokio::select! {
            res = printer => res?,
            _ = &mut notice => {}
        }
    } else {
        let mut int = signal(SignalKind::interrupt()).map_err(|e| Failure::usage(e.to_string()))?;
        let mut term = signal(SignalKind::terminate()).map_err(|e| Failure::usage(e.to_string()))?;
        let mut hup = signal(SignalKind::hangup()).map_err(|e| Failure::usage(e.to_string()))?;
        tokio::pin!(printer);
        let mut cancelled = false;
        loop {
            tokio::select! {
                res = &mut printer => { res?; break; }
                _ = &mut notice => {}
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            if !cancelled {
                cancelled = true;
                eprintln!("» Cancelling run {run_id}…");
                // Beside the printer, which keeps streaming (and may hold a database connection
                // the cancel would otherwise wait for).
                let engine = engine.clone();
                tokio::spawn(async move { api::run_cancel(&engine, &Caller::cli(), run_id).await });
            }
        }
    }
    match final_run {
        Some(run) => Ok(run),
        None => Ok(api::run_get(engine, run_id).await?),
    }
}

/// Starts `scicd __worker` in its own process group and returns the id of the run it created.
fn detach(engine: &Engine, args: &RunArgs) -> CmdResult<i64> {
    let exe = std::env::current_exe().map_err(|e| Failure::new(3, format!("cannot find scicd itself: {e}")))?;
    let mut cmd = Command::new(exe);
    cmd.arg("--data-dir").arg(engine.data_dir()).arg("__worker").arg("--template").arg(&args.name);
    for p in &args.params {
        cmd.arg("-p").arg(p);
    }
    if let Some(r) = &args.git_ref {
        cmd.arg("--ref").arg(r);
    }
    use std::os::unix::process::CommandExt;
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| Failure::new(3, format!("cannot start the background worker: {e}")))?;
    let mut line = String::new();
    let read = BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line);
    match read {
        Ok(n) if n > 0 => {}
        _ => {
            let status = child.wait().ok().and_then(|s| s.code()).unwrap_or(3);
            return Err(Failure::new(
                status.clamp(1, 255) as u8,
                "the background worker stopped before it started the run",
            ));
        }
    }
    let line = line.trim();
    if let Some(err) = line.strip_prefix("error ") {
        let api: simple_cicd_engine::model::ApiError = serde_json::from_str(err).unwrap_or_else(|_| {
            simple_cicd_engine::model::ApiError::new(simple_cicd_engine::model::ErrorCode::Internal, err)
        });
        let _ = child.wait();
        return Err(api.into());
    }
    line.strip_prefix("run ")
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| Failure::new(3, format!("unexpected answer from the background worker: {line}")))
}
