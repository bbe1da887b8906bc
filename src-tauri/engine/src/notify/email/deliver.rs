//! Delivering the e-mail of a run: attempts with waits between them for failures that may pass,
//! each step recorded on the run (and announced as a run change) so the run page shows it.

use lettre::message::Mailbox;

use super::message::{self, Report, LOG_TAIL};
use super::{config, send};
use crate::model::{now_ms, rfc3339, EmailDelivery, EmailState, Run};
use crate::Engine;

/// Sends the e-mail about `run` (which has ended) to `recipients`. Never fails: the outcome is
/// stored on the run.
pub(crate) async fn deliver(engine: &Engine, run: &Run, recipients: Vec<String>) {
    let mut status = EmailDelivery {
        state: EmailState::Pending,
        recipients: recipients.clone(),
        attempts: 0,
        message: None,
        updated_at: String::new(),
    };
    record(engine, run.id, &mut status).await;
    let to: Result<Vec<Mailbox>, String> = recipients
        .iter()
        .map(|a| {
            a.trim()
                .parse()
                .map_err(|e| format!("`{a}` is not an e-mail address ({e}); fix the template's notify rules"))
        })
        .collect();
    let to = match to {
        Ok(to) => to,
        Err(why) => return finish(engine, run.id, &mut status, EmailState::Failed, why).await,
    };
    let from_seq = (run.log_lines - LOG_TAIL as i64 + 1).max(1);
    let lines = engine.store().log_read(run.id, from_seq, LOG_TAIL).await.unwrap_or_default();
    let commit = run.commit.as_ref().map(|c| {
        let at = c.branch.as_deref().or(c.tag.as_deref()).map(|r| format!(" ({r})")).unwrap_or_default();
        format!("{}{at} {}", c.short_sha, c.message.lines().next().unwrap_or(""))
    });
    let report = Report { run, lines: &lines, commit: commit.as_deref() };
    let delays = engine.outbox().retry_delays().to_vec();
    let attempts = delays.len() as u32 + 1;
    for attempt in 1..=attempts {
        status.attempts = attempt;
        let result = async {
            let cfg = config::load(engine).await?;
            let email = message::run_message(&cfg.from, &to, &report)?;
            send::send(&cfg, email).await
        }
        .await;
        match result {
            Ok(answer) => return finish(engine, run.id, &mut status, EmailState::Sent, answer).await,
            Err(e) if e.transient && attempt < attempts => {
                let wait = delays[attempt as usize - 1];
                status.message = Some(format!(
                    "{} (attempt {attempt} of {attempts}; trying again in {}s)",
                    e.message,
                    wait.as_secs_f32()
                ));
                record(engine, run.id, &mut status).await;
                tokio::time::sleep(wait).await;
            }
            Err(e) => {
                tracing::warn!(run_id = run.id, error = %e.message, "e-mail not sent");
                return finish(engine, run.id, &mut status, EmailState::Failed, e.message).await;
            }
        }
    }
}

async fn finish(engine: &Engine, run_id: i64, status: &mut EmailDelivery, state: EmailState, message: String) {
    status.state = state;
    status.message = Some(message);
    record(engine, run_id, status).await;
}

async fn record(engine: &Engine, run_id: i64, status: &mut EmailDelivery) {
    status.updated_at = rfc3339(now_ms());
    match engine.store().run_set_email(run_id, status).await {
        Ok(()) => engine.emit_run(run_id).await,
        Err(e) => tracing::warn!(run_id, error = %e, "the e-mail status could not be stored"),
    }
}
