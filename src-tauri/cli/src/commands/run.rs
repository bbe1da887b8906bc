//! `scicd run NAME [-p K=V]... [--ref REF] [--detach]`.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use simple_cicd_engine::model::{EmailState, FollowEvent, LogStream, Run, RunStatus};
use simple_cicd_engine::{api, follow, Engine};
use tokio::signal::unix::{signal, SignalKind};

use super::parse_params;
use crate::args::RunArgs;
use crate::failure::{CmdResult, Failure};

/// Runs a template in the foreground, or hands it to a detached worker.
pub async fn run(data_dir: Option<PathBuf>, args: RunArgs) -> CmdResult {
    let params = parse_params(&args.params)?;
    let engine = crate::open_engine(data_dir).await?;
    if args.detach {
        // Validate here so mistakes are reported by this command, not lost in the background.
        let template = api::template_get(&engine, &args.name).await?;
        simple_cicd_engine::template::resolve_params(&template.spec.params, &params)?;
        if let Some(r) = &args.git_ref {
            if template.spec.source.is_none() {
                return Err(Failure::usage(format!(
                    "template {} has no source repository, so --ref does not apply",
                    args.name
                )));
            }
            simple_cicd_engine::trigger::check_ref_name(r).map_err(Failure::usage)?;
        }
        return detach(&engine, &args).map(|id| {
            println!("{id}");
            0
        });
    }
    let options = api::StartOptions { trigger: "cli".into(), git_ref: args.git_ref.clone(), git_sha: None };
    let run = api::run_start_with(&engine, &args.name, &params, &options).await?;
    eprintln!("Run {} #{} created (id {})", run.template, run.number, run.id);
    let end = stream_until_end(&engine, run.id, 1, true).await?;
    report_notifications(&engine, end.id).await;
    Ok(exit_status(&end))
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

/// Prints a run's lines from `from_seq` until it ends; script stdout to stdout, the rest to stderr.
/// With `cancel_on_signal`, Ctrl-C (SIGINT), SIGTERM and SIGHUP cancel the run gracefully and the
/// log keeps streaming until it has ended.
pub async fn stream_until_end(engine: &Engine, run_id: i64, from_seq: i64, cancel_on_signal: bool) -> CmdResult<Run> {
    let mut final_run: Option<Run> = None;
    let printer = async {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout.lock());
        follow(engine, run_id, from_seq, |event| {
            match event {
                FollowEvent::Lines(lines) => {
                    for l in lines {
                        let ok = match l.stream {
                            LogStream::Stdout => writeln!(out, "{}", l.text).is_ok(),
                            LogStream::Stderr => {
                                let _ = out.flush();
                                eprintln!("{}", l.text);
                                true
                            }
                            LogStream::System => {
                                let _ = out.flush();
                                eprintln!("» {}", l.text);
                                true
                            }
                        };
                        if !ok {
                            return true; // stdout closed (a pipe to `head`): keep following quietly
                        }
                    }
                    let _ = out.flush();
                }
                FollowEvent::End(run) => final_run = Some(run),
                FollowEvent::Status(run) if run.status == RunStatus::Queued => {
                    eprintln!("» Queued: waiting for a free slot (setting runs.maxParallel)");
                }
                FollowEvent::Status(_) => {}
            }
            true
        })
        .await
    };
    if !cancel_on_signal {
        printer.await?;
    } else {
        let mut int = signal(SignalKind::interrupt()).map_err(|e| Failure::usage(e.to_string()))?;
        let mut term = signal(SignalKind::terminate()).map_err(|e| Failure::usage(e.to_string()))?;
        let mut hup = signal(SignalKind::hangup()).map_err(|e| Failure::usage(e.to_string()))?;
        tokio::pin!(printer);
        let mut cancelled = false;
        loop {
            tokio::select! {
                res = &mut printer => { res?; break; }
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            if !cancelled {
                cancelled = true;
                eprintln!("» Cancelling run {run_id}…");
                let _ = api::run_cancel(engine, run_id).await;
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
