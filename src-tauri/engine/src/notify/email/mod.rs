//! E-mail about runs (and apps whose state changed) through SMTP (lettre): the settings, the message, one attempt with a clear
//! explanation of every failure, and delivery with retries whose result is stored on the run.

mod app;
mod config;
mod deliver;
mod message;
mod send;

pub(crate) use app::{deliver_app, AppReport};
pub(crate) use deliver::deliver;

use crate::error::{Error, Result};
use crate::model::SmtpAnswer;
use crate::Engine;

/// Sends a test message to `to` with the current settings and returns the server's exact answer
/// (`250 OK`, `535 5.7.8 Authentication credentials invalid`) or why it could not answer.
pub async fn smtp_test(engine: &Engine, to: &str) -> Result<SmtpAnswer> {
    let to = to.trim();
    let recipient: lettre::message::Mailbox = to.parse().map_err(|e| {
        Error::invalid("to", "invalid", format!("`{to}` is not an e-mail address ({e}); write it like me@example.com"))
    })?;
    let outcome = async {
        let cfg = config::load(engine).await?;
        let email = message::test_message(&cfg.from, recipient)?;
        send::send(&cfg, email).await
    };
    Ok(match outcome.await {
        Ok(answer) => SmtpAnswer { accepted: true, message: answer },
        Err(e) => SmtpAnswer { accepted: false, message: e.message },
    })
}
