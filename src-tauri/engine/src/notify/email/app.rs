//! The e-mail about an app whose state changed (the apps watch saw it): a subject like
//! `[simple-cicd] App shop on local is unhealthy`, a plain-text and an HTML part with the app,
//! its endpoint, the current revision and each service's state and image. Sent with the same
//! retries as a run's e-mail; its fate is logged (there is no run to record it on).

use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use super::deliver::{mailboxes, send_with_retries, Attempts};
use super::message::escape;
use super::send::SendError;
use crate::api::AppDetail;
use crate::notify::DesktopNote;
use crate::Engine;

/// What the e-mail says: the news as the desktop shows it, and the app as the watch saw it.
pub(crate) struct AppReport<'a> {
    pub note: &'a DesktopNote,
    pub detail: &'a AppDetail,
}

fn facts(r: &AppReport<'_>) -> Vec<(&'static str, String)> {
    let app = &r.detail.app;
    let mut rows =
        vec![("App", app.name.clone()), ("Endpoint", app.target.clone()), ("Template", app.template.clone())];
    if let Some(rev) = r.detail.revisions.iter().find(|r| r.status == "deployed") {
        rows.push(("Revision", format!("#{} ({}, {})", rev.number, rev.trigger, rev.created_at)));
    }
    if let Some(error) = &r.detail.services_error {
        rows.push(("Error", error.clone()));
    }
    rows
}

fn services(r: &AppReport<'_>) -> Vec<String> {
    r.detail
        .services
        .iter()
        .map(|s| {
            let health = if s.health.is_empty() { String::new() } else { format!(", {}", s.health) };
            let image = if s.pinned.is_empty() { &s.image } else { &s.pinned };
            format!("{}: {}{health} ({image})", s.service, s.state)
        })
        .collect()
}

pub(crate) fn text_body(r: &AppReport<'_>) -> String {
    let mut out = format!("{}\n{}\n\n", r.note.summary, r.note.body);
    for (label, value) in facts(r) {
        out.push_str(&format!("{:<10}{value}\n", format!("{label}:")));
    }
    let services = services(r);
    if !services.is_empty() {
        out.push_str("\nServices:\n");
        for s in services {
            out.push_str(&format!("  {s}\n"));
        }
    }
    out
}

pub(crate) fn html_body(r: &AppReport<'_>) -> String {
    let mut out = String::from("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
    out.push_str(&format!("<h2>{}</h2><p>{}</p><table>", escape(&r.note.summary), escape(&r.note.body)));
    for (label, value) in facts(r) {
        out.push_str(&format!("<tr><th align=\"left\">{label}</th><td>{}</td></tr>", escape(&value)));
    }
    out.push_str("</table>");
    let services = services(r);
    if !services.is_empty() {
        out.push_str("<h3>Services</h3><ul>");
        for s in services {
            out.push_str(&format!("<li><code>{}</code></li>", escape(&s)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</body></html>");
    out
}

fn app_message(from: &Mailbox, to: &[Mailbox], r: &AppReport<'_>) -> Result<Message, SendError> {
    let mut builder = Message::builder().from(from.clone()).subject(format!("[simple-cicd] {}", r.note.summary));
    for m in to {
        builder = builder.to(m.clone());
    }
    builder
        .multipart(MultiPart::alternative_plain_html(text_body(r), html_body(r)))
        .map_err(|e| SendError::fatal(format!("cannot build the e-mail: {e}")))
}

/// An app's e-mail: its attempts are logged.
struct Logged<'a>(&'a str);

impl Attempts for Logged<'_> {
    fn starting(&mut self, _n: u32) {}

    async fn retrying(&mut self, message: String) {
        tracing::info!(app = self.0, message, "e-mail about the app not sent yet");
    }
}

/// Sends the e-mail about an app's change to `recipients`. Never fails: the outcome is logged.
pub(crate) async fn deliver_app(engine: &Engine, recipients: &[String], report: AppReport<'_>) {
    let app = format!("{}@{}", report.detail.app.name, report.detail.app.target);
    let to = match mailboxes(recipients) {
        Ok(to) => to,
        Err(why) => return tracing::warn!(app, error = %why, "e-mail about the app not sent"),
    };
    let sent = send_with_retries(engine, |from| app_message(from, &to, &report), &mut Logged(&app)).await;
    match sent {
        Ok(answer) => tracing::info!(app, answer, "e-mail about the app sent"),
        Err(why) => tracing::warn!(app, error = %why, "e-mail about the app not sent"),
    }
}
