//! The steps of a pipeline run, as the run page, `scicd runs show` and the API see them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a step of a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StepStatus {
    /// Not started: the steps it needs have not ended, or no slot is free.
    Queued,
    /// Executing.
    Running,
    /// An approval waiting for an answer.
    Waiting,
    /// Ended well.
    Succeeded,
    /// Ended badly (a non-zero exit, a refused push, a declined approval).
    Failed,
    /// Stopped by a cancel.
    Cancelled,
    /// Stopped by its timeout or the run's.
    TimedOut,
    /// The process running it died.
    Interrupted,
    /// Not run: its `when` did not hold, or a step it needs failed.
    Skipped,
}

impl StepStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Queued => "queued",
            StepStatus::Running => "running",
            StepStatus::Waiting => "waiting",
            StepStatus::Succeeded => "succeeded",
            StepStatus::Failed => "failed",
            StepStatus::Cancelled => "cancelled",
            StepStatus::TimedOut => "timed_out",
            StepStatus::Interrupted => "interrupted",
            StepStatus::Skipped => "skipped",
        }
    }

    /// The status stored as `text`.
    pub fn parse(text: &str) -> Option<StepStatus> {
        [
            StepStatus::Queued,
            StepStatus::Running,
            StepStatus::Waiting,
            StepStatus::Succeeded,
            StepStatus::Failed,
            StepStatus::Cancelled,
            StepStatus::TimedOut,
            StepStatus::Interrupted,
            StepStatus::Skipped,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the step has ended (or will never run).
    pub fn is_final(self) -> bool {
        !matches!(self, StepStatus::Queued | StepStatus::Running | StepStatus::Waiting)
    }
}

impl std::fmt::Display for StepStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a pipeline run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunStep {
    /// Its index in the run's plan (what log lines carry as `step`).
    pub index: u16,
    /// Its name.
    pub name: String,
    /// shell, docker-build or approval.
    pub kind: String,
    /// The steps it needs, by name.
    pub needs: Vec<String>,
    /// Its column in the graph: 0 for a step that needs nothing.
    pub depth: u16,
    /// Where it stands.
    pub status: StepStatus,
    /// RFC 3339.
    pub started_at: Option<String>,
    /// RFC 3339.
    pub ended_at: Option<String>,
    /// Milliseconds it took (or has taken so far).
    #[ts(type = "number | null")]
    pub duration_ms: Option<i64>,
    /// The script's exit code.
    pub exit_code: Option<i32>,
    /// What it published for the steps after it.
    pub outputs: BTreeMap<String, String>,
    /// Why it failed or was skipped, in words.
    pub error: Option<String>,
    /// Its failure does not fail the run (`continueOnError: true`).
    pub continue_on_error: bool,
}
