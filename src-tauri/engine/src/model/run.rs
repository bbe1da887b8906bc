//! Runs, their statuses and their log lines.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::notify::EmailDelivery;
use super::trigger::RunCommit;

/// Where a run is in its life. The last five are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RunStatus {
    /// Waiting for a slot.
    Queued,
    /// The script is executing.
    Running,
    /// A step waits for someone to approve or decline it (other steps may still run).
    Waiting,
    /// Exit code 0.
    Succeeded,
    /// Non-zero exit code, or the run could not start.
    Failed,
    /// Stopped by the user.
    Cancelled,
    /// Stopped because it ran longer than its timeout.
    TimedOut,
    /// The process that owned it died; found and closed by a later start.
    Interrupted,
}

impl RunStatus {
    /// Every status, in display order.
    pub const ALL: [RunStatus; 8] = [
        RunStatus::Queued,
        RunStatus::Running,
        RunStatus::Waiting,
        RunStatus::Succeeded,
        RunStatus::Failed,
        RunStatus::Cancelled,
        RunStatus::TimedOut,
        RunStatus::Interrupted,
    ];

    /// The stored and serialised spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Queued => "queued",
            RunStatus::Running => "running",
            RunStatus::Waiting => "waiting",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Cancelled => "cancelled",
            RunStatus::TimedOut => "timed_out",
            RunStatus::Interrupted => "interrupted",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<RunStatus> {
        RunStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether the run has ended.
    pub fn is_final(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running | RunStatus::Waiting)
    }
}

impl std::fmt::Display for RunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One run of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Run {
    /// Global id (what `scicd runs show` takes).
    #[ts(type = "number")]
    pub id: i64,
    /// Number within its template: `hello #12`.
    #[ts(type = "number")]
    pub number: i64,
    /// Template name at the time of the run.
    pub template: String,
    /// The template's id, or null once the template was deleted.
    #[ts(type = "number | null")]
    pub template_id: Option<i64>,
    /// Status.
    pub status: RunStatus,
    /// What started it: `manual`, `cli`, `rerun`, ...
    pub trigger: String,
    /// RFC 3339.
    pub queued_at: String,
    /// RFC 3339.
    pub started_at: Option<String>,
    /// RFC 3339.
    pub finished_at: Option<String>,
    /// The script's exit code (128 + signal when it was killed).
    pub exit_code: Option<i32>,
    /// The parameters the script received.
    #[ts(type = "Record<string, string>")]
    pub params: BTreeMap<String, String>,
    /// Why the engine could not run it, when that is the case.
    pub error: Option<String>,
    /// Number of log lines stored so far.
    #[ts(type = "number")]
    pub log_lines: i64,
    /// The run's own working directory.
    pub workdir: Option<String>,
    /// docker-build: the id of the image it built (`sha256:...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image_id: Option<String>,
    /// docker-build: the image's tags, after the run's variables were put in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub image_tags: Vec<String>,
    /// docker-build: the digest of the pushed manifest (`sha256:...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image_digest: Option<String>,
    /// The e-mail sent about its end, when a rule asked for one.
    pub email: Option<EmailDelivery>,
    /// The ref the run was asked to check out (`--ref`, or the pushed ref of a webhook).
    pub git_ref: Option<String>,
    /// The commit checked out, once the source is in place.
    pub commit: Option<RunCommit>,
    /// The run this one retries (from one of its steps), when it is a retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub retry_of: Option<i64>,
    /// A pipeline run's steps, in all (absent for a one-step template's run).
    #[serde(default, skip_serializing_if = "is_zero")]
    #[ts(optional, as = "Option<u32>")]
    pub steps_total: u32,
    /// Its steps that have ended (or will not run): `3/5` with `steps_total`.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[ts(optional, as = "Option<u32>")]
    pub steps_done: u32,
}

/// Which stream a log line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum LogStream {
    /// The script's standard output.
    Stdout,
    /// The script's standard error.
    Stderr,
    /// Written by simple-cicd itself.
    System,
}

/// One numbered line of a run's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[ts(export)]
pub struct LogLine {
    /// 1-based line number.
    #[ts(type = "number")]
    pub seq: i64,
    /// Unix milliseconds when the line was read.
    #[ts(type = "number")]
    pub ts: i64,
    /// The stream.
    pub stream: LogStream,
    /// The text, without the line ending; may contain ANSI escapes.
    pub text: String,
    /// The pipeline step that wrote it (its index in the plan); none outside pipelines and for
    /// the run's own lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub step: Option<u16>,
}

/// A stored log line borrowed from the chunk it is decoded from: what whole-log readers (search,
/// download, `scicd logs`) visit, so that a million lines cost no million allocations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLineRef<'a> {
    /// 1-based line number.
    pub seq: i64,
    /// Unix milliseconds when the line was read.
    pub ts: i64,
    /// The stream.
    pub stream: LogStream,
    /// The text, without the line ending.
    pub text: &'a str,
    /// The pipeline step that wrote it.
    pub step: Option<u16>,
}

impl LogLineRef<'_> {
    /// An owned copy.
    pub fn to_owned_line(&self) -> LogLine {
        LogLine { seq: self.seq, ts: self.ts, stream: self.stream, text: self.text.to_string(), step: self.step }
    }
}

/// Consecutive stored log lines of one stream, step and time, borrowed from their chunk: what a
/// viewer that prints lines as they come (`scicd run`) writes out in one go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLinesRef<'a> {
    /// The line number of the first line.
    pub first_seq: i64,
    /// How many lines (at least one).
    pub count: usize,
    /// Unix milliseconds when the lines were read.
    pub ts: i64,
    /// The stream.
    pub stream: LogStream,
    /// The pipeline step that wrote them.
    pub step: Option<u16>,
    /// The lines, each followed by `\n` (a single line may hold a `\n` of its own).
    pub text: &'a str,
}

impl<'a> LogLinesRef<'a> {
    /// Where the line after the first `n` lines starts in [`LogLinesRef::text`].
    fn end_of(&self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        if n >= self.count {
            return self.text.len();
        }
        memchr::memchr_iter(b'\n', self.text.as_bytes()).nth(n - 1).map_or(self.text.len(), |i| i + 1)
    }

    /// The lines without the first `n`.
    pub fn skip(self, n: usize) -> LogLinesRef<'a> {
        let n = n.min(self.count - 1);
        let at = self.end_of(n);
        LogLinesRef { first_seq: self.first_seq + n as i64, count: self.count - n, text: &self.text[at..], ..self }
    }

    /// The first `n` lines (at least one).
    pub fn take(self, n: usize) -> LogLinesRef<'a> {
        let n = n.clamp(1, self.count);
        LogLinesRef { count: n, text: &self.text[..self.end_of(n)], ..self }
    }

    /// The lines one by one.
    pub fn lines(self) -> impl Iterator<Item = LogLineRef<'a>> {
        let one = (self.count == 1).then(|| &self.text[..self.text.len().saturating_sub(1)]);
        let many = if one.is_some() { None } else { Some(self.text.split_terminator('\n')) };
        one.into_iter().chain(many.into_iter().flatten()).enumerate().map(move |(i, text)| LogLineRef {
            seq: self.first_seq + i as i64,
            ts: self.ts,
            stream: self.stream,
            text,
            step: self.step,
        })
    }
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[ts(export)]
pub struct RunFilter {
    /// Only runs of this template.
    pub template: Option<String>,
    /// Only runs with this status.
    pub status: Option<RunStatus>,
    /// Page size (default 50, at most 1000).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// A page of runs, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunPage {
    /// The runs.
    pub runs: Vec<Run>,
    /// How many match the filter in all.
    #[ts(type = "number")]
    pub total: i64,
}

/// How many runs have a status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StatusCount {
    /// The status.
    pub status: RunStatus,
    /// The count.
    #[ts(type = "number")]
    pub count: i64,
}

/// What the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DashboardStats {
    /// Every status with its count (zeros included).
    pub counts: Vec<StatusCount>,
    /// The newest runs.
    pub recent: Vec<Run>,
    /// How many templates exist.
    #[ts(type = "number")]
    pub template_count: i64,
}

/// What a follower of a run receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
#[ts(export)]
pub enum FollowEvent {
    /// New log lines, in order.
    Lines(Vec<LogLine>),
    /// The run changed (status, exit code...).
    Status(Run),
    /// The run ended and every line was sent; nothing follows.
    End(Run),
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
