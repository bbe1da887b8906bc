//! The e-mail about a run: a subject like `[simple-cicd] hello #12 failed`, a plain-text and an
//! HTML part with the outcome, duration, trigger, commit (when there is one) and the last log
//! lines. The lines come from storage, so they are already masked; ANSI colours are removed.

use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use super::send::SendError;
use crate::model::{LogLine, LogStream, Run, RunStatus};
use crate::notify::{run_took, status_words};

/// How many log lines an e-mail carries.
pub(crate) const LOG_TAIL: usize = 50;

/// What the message says about a run.
pub(crate) struct Report<'a> {
    pub run: &'a Run,
    /// The last lines of its log, in order.
    pub lines: &'a [LogLine],
    /// The commit the run built, when there is one.
    pub commit: Option<&'a str>,
}

/// `[simple-cicd] hello #12 failed`.
pub(crate) fn subject(run: &Run) -> String {
    format!("[simple-cicd] {} #{} {}", run.template, run.number, status_words(run.status))
}

/// The status colours of the UI (UI.md).
fn colour(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Succeeded => "#2e7d32",
        RunStatus::Failed => "#c62828",
        RunStatus::Running => "#1565c0",
        RunStatus::Waiting => "#d4860b",
        RunStatus::TimedOut => "#ef6c00",
        RunStatus::Interrupted => "#ffa000",
        RunStatus::Queued | RunStatus::Cancelled => "#757575",
    }
}

/// The facts, as (label, value) rows.
fn facts(r: &Report<'_>) -> Vec<(&'static str, String)> {
    let mut outcome = status_words(r.run.status).to_string();
    if let Some(code) = r.run.exit_code {
        outcome.push_str(&format!(" (exit code {code})"));
    }
    let mut rows = vec![("Outcome", outcome)];
    if let Some(took) = run_took(r.run) {
        rows.push(("Duration", took));
    }
    rows.push(("Trigger", r.run.trigger.clone()));
    if let Some(commit) = r.commit {
        rows.push(("Commit", commit.to_string()));
    }
    if let Some(error) = &r.run.error {
        rows.push(("Error", error.clone()));
    }
    rows
}

fn line_text(l: &LogLine) -> String {
    let text = strip_ansi(&l.text);
    match l.stream {
        LogStream::System => format!("» {text}"),
        _ => text,
    }
}

pub(crate) fn text_body(r: &Report<'_>) -> String {
    let mut out = format!("{} #{} {}\n\n", r.run.template, r.run.number, status_words(r.run.status));
    for (label, value) in facts(r) {
        out.push_str(&format!("{:<10}{value}\n", format!("{label}:")));
    }
    if !r.lines.is_empty() {
        out.push_str(&format!("\nLast {} log lines:\n", r.lines.len()));
        for l in r.lines {
            out.push_str(&line_text(l));
            out.push('\n');
        }
    }
    out
}

pub(crate) fn html_body(r: &Report<'_>) -> String {
    let run = r.run;
    let mut out = String::from("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
    out.push_str(&format!(
        "<h2>{} #{} <span style=\"color:{}\">{}</span></h2><table>",
        escape(&run.template),
        run.number,
        colour(run.status),
        escape(status_words(run.status))
    ));
    for (label, value) in facts(r) {
        out.push_str(&format!("<tr><th align=\"left\">{label}</th><td>{}</td></tr>", escape(&value)));
    }
    out.push_str("</table>");
    if !r.lines.is_empty() {
        out.push_str(&format!(
            "<h3>Last {} log lines</h3><pre style=\"background:#f5f5f5;padding:8px\">",
            r.lines.len()
        ));
        for l in r.lines {
            out.push_str(&escape(&line_text(l)));
            out.push('\n');
        }
        out.push_str("</pre>");
    }
    out.push_str("</body></html>");
    out
}

/// The message about a run.
pub(crate) fn run_message(from: &Mailbox, to: &[Mailbox], r: &Report<'_>) -> Result<Message, SendError> {
    let mut builder = Message::builder().from(from.clone()).subject(subject(r.run));
    for m in to {
        builder = builder.to(m.clone());
    }
    builder
        .multipart(MultiPart::alternative_plain_html(text_body(r), html_body(r)))
        .map_err(|e| SendError::fatal(format!("cannot build the e-mail: {e}")))
}

/// The message of "Send test e-mail".
pub(crate) fn test_message(from: &Mailbox, to: Mailbox) -> Result<Message, SendError> {
    let text = "This is a test e-mail from simple-cicd. If you can read it, e-mails about runs will arrive too.\n";
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject("[simple-cicd] test e-mail")
        .multipart(MultiPart::alternative_plain_html(text.to_string(), format!("<p>{}</p>", escape(text.trim()))))
        .map_err(|e| SendError::fatal(format!("cannot build the e-mail: {e}")))
}

/// Escapes text for HTML.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Removes ANSI escape sequences (colours, cursor moves) and other control characters but tabs.
fn strip_ansi(text: &str) -> String {
    crate::api::strip_ansi(text).chars().filter(|c| !c.is_control() || *c == '\t').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(status: RunStatus) -> Run {
        Run {
            id: 7,
            number: 12,
            template: "hello".into(),
            template_id: Some(1),
            status,
            trigger: "cli".into(),
            queued_at: "2026-11-25T18:40:00.000Z".into(),
            started_at: Some("2026-11-25T18:40:00.000Z".into()),
            finished_at: Some("2026-11-25T18:41:12.000Z".into()),
            exit_code: Some(1),
            params: Default::default(),
            error: None,
            log_lines: 2,
            workdir: None,
            git_ref: None,
            commit: None,
            email: None,
            image_id: None,
            image_tags: Vec::new(),
            image_digest: None,
            retry_of: None,
            steps_total: 0,
            steps_done: 0,
        }
    }

    fn line(seq: i64, text: &str) -> LogLine {
        LogLine { seq, ts: 0, stream: LogStream::Stdout, text: text.into(), step: None }
    }

    #[test]
    fn the_subject_names_template_number_and_outcome() {
        assert_eq!(subject(&run(RunStatus::Failed)), "[simple-cicd] hello #12 failed");
        assert_eq!(subject(&run(RunStatus::TimedOut)), "[simple-cicd] hello #12 timed out");
    }

    #[test]
    fn both_parts_carry_outcome_duration_trigger_commit_and_lines() {
        let r = run(RunStatus::Failed);
        let lines = [line(1, "\u{1b}[31mboom <script>\u{1b}[0m"), line(2, "token=******")];
        let report = Report { run: &r, lines: &lines, commit: Some("abc1234") };
        let text = text_body(&report);
        for needle in ["failed (exit code 1)", "1m 12s", "cli", "abc1234", "boom <script>\n", "token=******"] {
            assert!(text.contains(needle), "`{needle}` in the text part:\n{text}");
        }
        let html = html_body(&report);
        for needle in ["failed (exit code 1)", "1m 12s", "abc1234", "boom &lt;script&gt;", "#c62828"] {
            assert!(html.contains(needle), "`{needle}` in the HTML part:\n{html}");
        }
        assert!(!html.contains('\u{1b}') && !text.contains('\u{1b}'), "ANSI colours are removed");
    }

    #[test]
    fn ansi_sequences_and_control_characters_are_removed() {
        assert_eq!(strip_ansi("\u{1b}[1;32mok\u{1b}[0m\tdone\u{7}"), "ok\tdone");
        assert_eq!(strip_ansi("\u{1b}]0;title\u{7}text"), "text");
    }
}
