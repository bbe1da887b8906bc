//! Telling people that a run ended: desktop notifications through the [`Notifier`] trait (the
//! engine never sees a window; [`DesktopNotifier`] is the notify-rust implementation the app and
//! `scicd` share), e-mails over SMTP, and the per-template rules that decide who hears of which
//! outcome, and of which change of an app's state (app_change.rs).
//!
//! Everything here happens after the run ended, in the background ([`Outbox`]): a slow or broken
//! SMTP server or a missing notification server never delays a run or changes its outcome; the
//! e-mail's fate is recorded on the run instead. Left out: chat webhooks, digests, per-user
//! preferences.

mod app_change;
mod desktop;
mod desktop_labels;
mod email;
mod outbox;
mod question;
mod rollback_offer;
mod rules;

pub(crate) use app_change::app_changed;
pub use desktop::{DesktopNote, DesktopNotifier, NoNotifier, Notifier, Unavailable};
pub use desktop_labels::ActionLabels;
pub use email::smtp_test;
pub use outbox::{NotifyOptions, Outbox};
pub use question::{AnswerHook, DesktopQuestion};
pub use rollback_offer::{RollbackHook, RollbackOffer};
pub(crate) use rules::check_rules;

use std::time::Duration;

use tokio::sync::oneshot;

use crate::auth::Caller;
use crate::model::{format_duration, parse_rfc3339, Run, RunStatus};
use crate::{api, settings, Engine};

/// Applies the template's rules to a run that just ended, in the background.
pub(crate) fn run_ended(engine: &Engine, run_id: i64) {
    let task_engine = engine.clone();
    engine.outbox().spawn(run_id, async move {
        if let Err(e) = dispatch(&task_engine, run_id).await {
            tracing::warn!(run_id, error = %e, "notifications of a run could not be worked out");
        }
    });
}

async fn dispatch(engine: &Engine, run_id: i64) -> crate::Result<()> {
    let store = engine.store();
    let (spec, _) = store.run_spec(run_id).await?;
    if spec.notify.is_empty() {
        return Ok(());
    }
    let run = store.run_get(run_id).await?;
    let previous = store.run_previous_final_status(&run.template, run.id).await?;
    let plan = rules::plan(&spec.notify, run.status, previous);
    if plan.desktop && settings::flag(engine, "notify.desktop").await {
        if settings::flag(engine, "notify.doNotDisturb").await {
            tracing::debug!(run_id, "do not disturb: desktop notification held back");
        } else {
            // A failed deploy offers to roll its app back.
            match rollback_offer::for_run(engine, &run, note(&run)).await {
                Ok(offer) => engine.outbox().offer(offer).await,
                Err(note) => engine.outbox().show(note).await,
            }
        }
    }
    if !plan.email.is_empty() {
        email::deliver(engine, &run, plan.email).await;
    }
    Ok(())
}

/// Tells the desktop that a pipeline run waits for someone's approval (whatever the template's
/// rules say about its end: this is a question, not news). The notification's Approve / Decline
/// buttons answer approval step `step` as the OS user, like the run page; a click opens the run.
/// Dropping the returned guard withdraws the question (its notification closes); it expires by
/// itself after `expires_in`.
pub(crate) async fn approval_waiting(
    engine: &Engine,
    run: &Run,
    step: &str,
    message: &str,
    expires_in: Duration,
) -> Option<oneshot::Sender<()>> {
    if !settings::flag(engine, "notify.desktop").await || settings::flag(engine, "notify.doNotDisturb").await {
        return None;
    }
    let note = DesktopNote {
        run_id: run.id,
        status: RunStatus::Running,
        summary: format!("{} #{} waits for your approval", run.template, run.number),
        body: format!("{step}: {message}"),
    };
    let (withdraw, withdrawn) = oneshot::channel();
    let answer = answer_hook(engine, run.id, step);
    engine.outbox().ask(DesktopQuestion { note, answer, withdrawn, expires_in }).await;
    Some(withdraw)
}

/// Answers approval step `step` of run `run_id` from a notification's button, on the engine's
/// runtime (the hook is called from the notifier's own thread).
fn answer_hook(engine: &Engine, run_id: i64, step: &str) -> AnswerHook {
    let engine = engine.clone();
    let step = step.to_string();
    let runtime = tokio::runtime::Handle::current();
    Box::new(move |approve| {
        runtime.spawn(async move {
            let answer = api::Answer { approve, comment: None, step: Some(step) };
            if let Err(e) = api::run_answer(&engine, &Caller::desktop(), run_id, answer).await {
                // Answered elsewhere a moment before: the first answer stands.
                tracing::info!(run_id, error = %e, "the answer from the desktop notification was not taken");
            }
        });
    })
}

/// The status as people read it: `timed out` rather than `timed_out`.
pub(crate) fn status_words(status: RunStatus) -> &'static str {
    match status {
        RunStatus::TimedOut => "timed out",
        other => other.as_str(),
    }
}

/// How long a finished run took, `1m 12s`.
pub(crate) fn run_took(run: &Run) -> Option<String> {
    let start = parse_rfc3339(run.started_at.as_deref()?)?;
    let end = parse_rfc3339(run.finished_at.as_deref()?)?;
    Some(format_duration((end - start).max(0) as u128))
}

fn note(run: &Run) -> DesktopNote {
    let mut body = match run_took(run) {
        Some(took) => format!("{} after {took}", status_words(run.status)),
        None => status_words(run.status).to_string(),
    };
    if let Some(code) = run.exit_code.filter(|c| *c != 0) {
        body.push_str(&format!(", exit code {code}"));
    }
    DesktopNote {
        run_id: run.id,
        status: run.status,
        summary: format!("{} #{} {}", run.template, run.number, status_words(run.status)),
        body,
    }
}
