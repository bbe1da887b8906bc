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
    let to = match mailboxes(&recipients) {
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
    let sent = send_with_retries(
        engine,
        |from| message::run_message(from, &to, &report),
        &mut OnTheRun { engine, run_id: run.id, status: &mut status },
    )
    .await;
    match sent {
        Ok(answer) => finish(engine, run.id, &mut status, EmailState::Sent, answer).await,
        Err(why) => {
            tracing::warn!(run_id = run.id, error = %why, "e-mail not sent");
            finish(engine, run.id, &mut status, EmailState::Failed, why).await
        }
    }
}

/// Hears of the attempts at sending one e-mail.
pub(super) trait Attempts {
    /// Attempt `n` (from 1) starts.
    fn starting(&mut self, n: u32);
    /// It failed in a way that may pass; `message` says so and when the next attempt comes.
    async fn retrying(&mut self, message: String);
}

/// A run's e-mail: each attempt recorded on the run.
struct OnTheRun<'a> {
    engine: &'a Engine,
    run_id: i64,
    status: &'a mut EmailDelivery,
}

impl Attempts for OnTheRun<'_> {
    fn starting(&mut self, n: u32) {
        self.status.attempts = n;
    }

    async fn retrying(&mut self, message: String) {
        self.status.message = Some(message);
        record(self.engine, self.run_id, self.status).await;
    }
}

/// The recipients as mailboxes, or which one is not an address.
pub(super) fn mailboxes(recipients: &[String]) -> Result<Vec<Mailbox>, String> {
    recipients
        .iter()
        .map(|a| {
            a.trim()
                .parse()
                .map_err(|e| format!("`{a}` is not an e-mail address ({e}); fix the template's notify rules"))
        })
        .collect()
}

/// Sends what `build` makes from the sender (built anew for each attempt, with the settings of
/// that moment), trying again after a failure that may pass, with the outbox's waits between
/// attempts; `attempts` hears of each. Returns the server's answer, or why it was not sent.
pub(super) async fn send_with_retries(
    engine: &Engine,
    build: impl Fn(&Mailbox) -> Result<lettre::Message, send::SendError>,
    attempts: &mut impl Attempts,
) -> Result<String, String> {
    let delays = engine.outbox().retry_delays().to_vec();
    let total = delays.len() as u32 + 1;
    for attempt in 1..=total {
        attempts.starting(attempt);
        let result = async {
            let cfg = config::load(engine).await?;
            send::send(&cfg, build(&cfg.from)?).await
        }
        .await;
        match result {
            Ok(answer) => return Ok(answer),
            Err(e) if e.transient && attempt < total => {
                let wait = delays[attempt as usize - 1];
                let said =
                    format!("{} (attempt {attempt} of {total}; trying again in {}s)", e.message, wait.as_secs_f32());
                attempts.retrying(said).await;
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e.message),
        }
    }
    unreachable!("the last attempt returns")
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
